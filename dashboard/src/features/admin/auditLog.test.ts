import { describe, expect, it } from 'vitest';

import { kindName, parseAuditFilters, reasonText, shortId, withAuditFilter } from './auditLog';

describe('parseAuditFilters', () => {
  it('reads known kinds and outcomes and drops anything else', () => {
    expect(parseAuditFilters(new URLSearchParams('kind=ws_join&outcome=denied'))).toEqual({
      kind: 'ws_join',
      outcome: 'denied',
    });
    expect(parseAuditFilters(new URLSearchParams('kind=drop_table&outcome=maybe'))).toEqual({
      kind: null,
      outcome: null,
    });
  });

  it('sets and clears one filter in the URL', () => {
    const params = withAuditFilter(new URLSearchParams('outcome=denied'), 'kind', 'login');
    expect(params.toString()).toBe('outcome=denied&kind=login');
    expect(withAuditFilter(params, 'outcome', '').toString()).toBe('kind=login');
  });
});

describe('readable codes', () => {
  it('names kinds and reasons', () => {
    expect(kindName('ws_join')).toBe('Socket join');
    expect(kindName('new_kind')).toBe('new_kind');
    expect(reasonText('bad_signature')).toBe('bad signature');
    expect(reasonText('ok')).toBe('—');
    expect(shortId('0f8c1c9e-1111-2222-3333-444444444444')).toBe('0f8c1c9e');
  });
});
