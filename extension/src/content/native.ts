// DOM functions captured when the content script starts. A content script runs in its own
// JavaScript world, where the page's overrides of `Element.prototype` do not reach, but the
// same code also runs in the page's world (the mock mode, tests), so the few functions the
// script depends on are taken once, before anything else runs, and every call is guarded.

type QueryAll = (this: ParentNode, selectors: string) => NodeListOf<Element>;

/** A prototype's own function, as it is now (its type is the caller's to say). */
function captured(proto: object, name: string): unknown {
  return Object.getOwnPropertyDescriptor(proto, name)?.value;
}

const documentQueryAll = captured(Document.prototype, 'querySelectorAll') as QueryAll;
const fragmentQueryAll = captured(DocumentFragment.prototype, 'querySelectorAll') as QueryAll;
const elementQueryAll = captured(Element.prototype, 'querySelectorAll') as QueryAll;
const boundingRect = captured(Element.prototype, 'getBoundingClientRect') as (
  this: Element,
) => DOMRect;
const attachShadowNative = captured(Element.prototype, 'attachShadow') as (
  this: Element,
  init: ShadowRootInit,
) => ShadowRoot;
// eslint-disable-next-line @typescript-eslint/unbound-method -- called with Reflect.apply
const shadowRootGetter = Object.getOwnPropertyDescriptor(Element.prototype, 'shadowRoot')?.get;

/** `root.querySelectorAll(selector)` through the captured function; [] when it fails. */
export function queryAll(root: Document | ShadowRoot | Element, selector: string): Element[] {
  try {
    const fn =
      root instanceof Document
        ? documentQueryAll
        : root instanceof DocumentFragment
          ? fragmentQueryAll
          : elementQueryAll;
    return Array.from(Reflect.apply(fn, root, [selector]));
  } catch {
    return [];
  }
}

/** An element's open shadow root, or null. */
export function openShadowRoot(element: Element): ShadowRoot | null {
  try {
    return shadowRootGetter
      ? (Reflect.apply(shadowRootGetter, element, []) as ShadowRoot | null)
      : null;
  } catch {
    return null;
  }
}

/** The element's viewport rectangle; an empty one when it cannot be measured. */
export function rectOf(element: Element): DOMRect {
  try {
    return Reflect.apply(boundingRect, element, []);
  } catch {
    return new DOMRect(0, 0, 0, 0);
  }
}

export function attachShadow(host: Element, init: ShadowRootInit): ShadowRoot {
  return Reflect.apply(attachShadowNative, host, [init]);
}
