import { useEffect, useRef, useState } from 'react';
import { formatRoute, parseRoute, type Route } from '../../model/route.js';
import { mayLeave } from '../leave-guard.js';
import { mayLeaveNow } from '../unsaved-warning.js';

/**
 * The current view from the address; navigate() changes it (and the browser's back button works)
 * once the open view lets it go (the editor saves its pending draft first: ../leave-guard.ts).
 */
export function useRoute(): [Route, (r: Route) => void] {
  const [route, setRoute] = useState<Route>(() => parseRoute(window.location.hash));
  // The address the designer itself moved to (its guard already asked) and the one it shows now.
  const moved = useRef<string | null>(null);
  const shown = useRef(window.location.hash);
  useEffect(() => {
    const on = () => {
      const h = window.location.hash;
      // The browser's back or forward: a view with unsaved edits asks first; staying puts its address back.
      if (h !== moved.current && !mayLeaveNow()) {
        history.replaceState(null, '', shown.current || '#/');
        return;
      }
      moved.current = null;
      shown.current = h;
      setRoute(parseRoute(h));
    };
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  const navigate = async (r: Route) => {
    if (!(await mayLeave())) return;
    const h = formatRoute(r);
    if (window.location.hash !== h) {
      moved.current = h;
      window.location.hash = h;
    }
    shown.current = h;
    setRoute(r);
  };
  return [route, navigate];
}
