/** jsdom lacks a few browser classes that Lumino touches when its modules load. */
const scope = globalThis as unknown as { [name: string]: unknown };
if (typeof scope.window !== 'undefined') {
  for (const name of ['DragEvent', 'ClipboardEvent']) {
    if (!(name in scope)) {
      scope[name] = class extends (scope.MouseEvent as typeof MouseEvent) {};
    }
  }
}
if (typeof scope.window !== 'undefined' && typeof window.matchMedia !== 'function') {
  window.matchMedia = (query: string) =>
    ({
      matches: false,
      media: query,
      onchange: null,
      addListener: () => undefined,
      removeListener: () => undefined,
      addEventListener: () => undefined,
      removeEventListener: () => undefined,
      dispatchEvent: () => false
    }) as MediaQueryList;
}
