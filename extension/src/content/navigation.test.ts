import { NavigationDetector, pageKey } from './navigation';

test('a media fragment or an anchor is the same page; a hash route is another', () => {
  expect(pageKey('https://example.com/v#t=30')).toBe('https://example.com/v');
  expect(pageKey('https://example.com/v#')).toBe('https://example.com/v');
  expect(pageKey('https://app.iconik.io/#/assets/1')).toBe('https://app.iconik.io/#/assets/1');
  expect(pageKey('https://example.com/#!/watch/2')).toBe('https://example.com/#!/watch/2');
});

test('one navigation seen by several signals counts once', () => {
  const detector = new NavigationDetector('https://www.youtube.com/watch?v=aaaaaaaaaaa');
  expect(detector.changed('https://www.youtube.com/watch?v=aaaaaaaaaaa#t=5')).toBe(false);
  expect(detector.changed('https://www.youtube.com/watch?v=bbbbbbbbbbb')).toBe(true);
  expect(detector.changed('https://www.youtube.com/watch?v=bbbbbbbbbbb')).toBe(false);
  expect(detector.changed('https://www.youtube.com/watch?v=aaaaaaaaaaa')).toBe(true);
});

test('hash routes navigate', () => {
  const detector = new NavigationDetector('https://app.iconik.io/#/assets/1');
  expect(detector.changed('https://app.iconik.io/#/assets/2')).toBe(true);
});
