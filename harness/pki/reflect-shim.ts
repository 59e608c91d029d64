// @peculiar/x509 uses tsyringe, which refuses to load unless the Reflect
// metadata API exists. It only needs three calls (define / get / getOwn) for
// its constructor-injection bookkeeping, so a tiny WeakMap store is enough
// and avoids another dependency. Import this module before @peculiar/x509.
type Store = Map<PropertyKey | undefined, Map<unknown, unknown>>;
const stores = new WeakMap<object, Store>();

function own(target: object, prop: PropertyKey | undefined, create: boolean): Map<unknown, unknown> | undefined {
  let s = stores.get(target);
  if (!s) {
    if (!create) return undefined;
    s = new Map();
    stores.set(target, s);
  }
  let m = s.get(prop);
  if (!m && create) {
    m = new Map();
    s.set(prop, m);
  }
  return m;
}

const R = Reflect as unknown as Record<string, unknown>;
if (typeof R.getMetadata !== 'function') {
  R.defineMetadata = (key: unknown, value: unknown, target: object, prop?: PropertyKey) => {
    own(target, prop, true)!.set(key, value);
  };
  R.getOwnMetadata = (key: unknown, target: object, prop?: PropertyKey) => own(target, prop, false)?.get(key);
  R.getMetadata = (key: unknown, target: object, prop?: PropertyKey) => {
    // Walk the prototype chain, as the real API does.
    for (let t: object | null = target; t; t = Object.getPrototypeOf(t) as object | null) {
      const m = own(t, prop, false);
      if (m?.has(key)) return m.get(key);
    }
    return undefined;
  };
  R.metadata = (key: unknown, value: unknown) => (target: object, prop?: PropertyKey) => {
    own(target, prop, true)!.set(key, value);
  };
}
export {};
