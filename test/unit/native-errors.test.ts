import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { errorSymbol, WfpError } from '../../native/errors.js';
import { FWP_E_CODES } from '../../native/wfp/error-codes.js';

const WINERROR = '/usr/x86_64-w64-mingw32/include/winerror.h';

describe('WfpError', () => {
  it('names the call, the symbol and the number in the message', () => {
    const e = new WfpError('FwpmFilterAdd0', 0x80320009);
    expect(e.message).toBe(
      'FwpmFilterAdd0 failed: FWP_E_ALREADY_EXISTS (0x80320009). An object with this key is already installed.',
    );
    expect(e).toMatchObject({ func: 'FwpmFilterAdd0', code: 0x80320009, symbol: 'FWP_E_ALREADY_EXISTS' });
  });

  it('tells a user without elevation to run as administrator', () => {
    const e = new WfpError('FwpmEngineOpen0', 5);
    expect(e.symbol).toBe('ERROR_ACCESS_DENIED');
    expect(e.hint).toMatch(/run Portcullis as administrator/i);
    expect(e.message).toContain('(0x00000005)');
  });

  it('explains that the Base Filtering Engine is not running', () => {
    expect(new WfpError('FwpmEngineOpen0', 1753).hint).toMatch(/Base Filtering Engine service is not running/);
  });

  it('accepts codes koffi returns as negative numbers and unknown codes', () => {
    expect(errorSymbol(0x80320003 | 0)).toBe('FWP_E_FILTER_NOT_FOUND');
    const e = new WfpError('FwpmFilterAdd0', 0x12345, 'add[0] "x"');
    expect(e.symbol).toBe('UNKNOWN_ERROR');
    expect(e.message).toBe('FwpmFilterAdd0 (add[0] "x") failed: UNKNOWN_ERROR (0x00012345).');
  });

  it.runIf(existsSync(WINERROR))('knows every FWP_E_* code of winerror.h by the same value', () => {
    const text = readFileSync(WINERROR, 'utf8');
    const defined = [...text.matchAll(/#define (FWP_E_\w+)\s+_HRESULT_TYPEDEF_\((0x[0-9A-Fa-f]+)\)/g)];
    expect(defined.length).toBeGreaterThan(50);
    const table = new Map(FWP_E_CODES.map(([code, name]) => [name, code]));
    for (const [, name, value] of defined) expect([name, table.get(name!)]).toEqual([name, Number(value)]);
  });
});
