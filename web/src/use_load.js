// Loads data for a view and reloads it on demand; ignores answers that arrive after unmount.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export function useLoad(loader, deps) {
  const [state, setState] = useState({ data: undefined, error: null });
  const generation = useRef(0);
  const load = useCallback(async () => {
    const mine = ++generation.current;
    try {
      const data = await loader();
      if (mine === generation.current) setState({ data, error: null });
    } catch (error) {
      if (mine === generation.current) setState((old) => ({ data: old.data, error }));
    }
  }, deps);
  useEffect(() => {
    load();
    return () => {
      generation.current++;
    };
  }, [load]);
  return { ...state, reload: load };
}
