import { formatMediaTime, parseMediaTime } from './mediaTime';

describe('formatMediaTime', () => {
  it('writes m:ss under an hour, as players do', () => {
    expect(formatMediaTime(0)).toBe('0:00');
    expect(formatMediaTime(5)).toBe('0:05');
    expect(formatMediaTime(75.9)).toBe('1:15');
    expect(formatMediaTime(3599.99)).toBe('59:59');
  });

  it('writes h:mm:ss from an hour on', () => {
    expect(formatMediaTime(3600)).toBe('1:00:00');
    expect(formatMediaTime(3725)).toBe('1:02:05');
    expect(formatMediaTime(36_000 + 61)).toBe('10:01:01');
  });

  it('reads nonsense as zero', () => {
    expect(formatMediaTime(-3)).toBe('0:00');
    expect(formatMediaTime(Number.NaN)).toBe('0:00');
  });
});

describe('parseMediaTime', () => {
  it('reads seconds, mm:ss and h:mm:ss', () => {
    expect(parseMediaTime('75')).toBe(75);
    expect(parseMediaTime('1:15')).toBe(75);
    expect(parseMediaTime(' 01:15 ')).toBe(75);
    expect(parseMediaTime('1:02:05')).toBe(3725);
    expect(parseMediaTime('0:07.5')).toBe(7.5);
  });

  it('refuses what is not a position', () => {
    expect(parseMediaTime('')).toBeNull();
    expect(parseMediaTime('abc')).toBeNull();
    expect(parseMediaTime('1:75')).toBeNull();
    expect(parseMediaTime('-5')).toBeNull();
    expect(parseMediaTime('1:2:3:4')).toBeNull();
  });

  it('round-trips what formatMediaTime writes', () => {
    for (const seconds of [0, 9, 61, 3599, 3600, 7322]) {
      expect(parseMediaTime(formatMediaTime(seconds))).toBe(seconds);
    }
  });
});
