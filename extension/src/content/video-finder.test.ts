import { collectVideos } from './video-finder';

afterEach(() => {
  document.body.replaceChildren();
});

test('videos inside open shadow roots, nested too, are found', () => {
  const outer = document.createElement('div');
  const outerRoot = outer.attachShadow({ mode: 'open' });
  const inner = document.createElement('span');
  const innerRoot = inner.attachShadow({ mode: 'open' });
  innerRoot.append(document.createElement('video'));
  outerRoot.append(inner, document.createElement('video'));
  document.body.append(document.createElement('video'), outer);

  const found = collectVideos(document);
  expect(found.videos).toHaveLength(3);
  expect(found.shadowRoots).toEqual(expect.arrayContaining([outerRoot, innerRoot]));
});

test('a page that breaks Element.prototype after the script started does not hide its videos', () => {
  document.body.append(document.createElement('video'));
  const host = document.createElement('div');
  host.attachShadow({ mode: 'open' }).append(document.createElement('video'));
  document.body.append(host);
  // Overridden the way a page would, after the content script captured the natives.
  const prototypes = [Document.prototype, DocumentFragment.prototype, Element.prototype];
  const saved = prototypes.map((proto) =>
    Object.getOwnPropertyDescriptor(proto, 'querySelectorAll'),
  );
  for (const proto of prototypes) {
    Object.defineProperty(proto, 'querySelectorAll', {
      configurable: true,
      value: () => {
        throw new Error('the page broke querySelectorAll');
      },
    });
  }
  try {
    expect(collectVideos(document).videos).toHaveLength(2);
  } finally {
    prototypes.forEach((proto, i) => {
      const descriptor = saved[i];
      if (descriptor) Object.defineProperty(proto, 'querySelectorAll', descriptor);
    });
  }
});
