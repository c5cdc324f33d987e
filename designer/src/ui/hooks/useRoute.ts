import { useEffect, useState } from 'react';
import { formatRoute, parseRoute, type Route } from '../../model/route.js';
import { mayLeave } from '../leave-guard.js';

/**
 * The current view from the address; navigate() changes it (and the browser's back button works)
 * once the open view lets it go (the editor saves its pending draft first: ../leave-guard.ts).
 */
export function useRoute(): [Route, (r: Route) => void] {
  const [route, setRoute] = useState<Route>(() => parseRoute(window.location.hash));
  useEffect(() => {
    const on = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  const navigate = async (r: Route) => {
    if (!(await mayLeave())) return;
    const h = formatRoute(r);
    if (window.location.hash !== h) window.location.hash = h;
    setRoute(r);
  };
  return [route, navigate];
}
