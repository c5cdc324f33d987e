import { useEffect, useState } from 'react';
import { formatRoute, parseRoute, type Route } from '../../model/route.js';

/** The current view from the address; navigate() changes it (and the browser's back button works). */
export function useRoute(): [Route, (r: Route) => void] {
  const [route, setRoute] = useState<Route>(() => parseRoute(window.location.hash));
  useEffect(() => {
    const on = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  const navigate = (r: Route) => {
    const h = formatRoute(r);
    if (window.location.hash !== h) window.location.hash = h;
    setRoute(r);
  };
  return [route, navigate];
}
