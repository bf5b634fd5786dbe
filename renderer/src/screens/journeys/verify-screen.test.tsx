import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { CertificateVerdict } from '../../../../common/contract/cases-api.js';
import { KioskErrorCode } from '../../../../common/contract/errors.js';
import { Language } from '../../i18n/index.js';
import { VerifyPhase, type VerifyState } from '../../state/journeys/verify.js';
import { sampleVerification } from '../../testing/fixtures.js';
import { commonProps, elementOf, textOf } from '../../testing/markup.js';
import { VerifyScreen } from './VerifyScreen.js';

function render(state: VerifyState, language = Language.Zh): string {
  return renderToStaticMarkup(<VerifyScreen common={commonProps(language)} state={state} />);
}

const verdict = (v: CertificateVerdict): VerifyState => ({ phase: VerifyPhase.Result, result: sampleVerification(v) });

describe('VerifyScreen', () => {
  it('asks for the slip, then says it is verifying', () => {
    expect(textOf(render({ phase: VerifyPhase.Waiting }), 'verify-prompt')).toBe('请将证照核验凭条上的二维码对准扫码口');
    expect(textOf(render({ phase: VerifyPhase.Waiting }, Language.En), 'verify-prompt')).toBe('Hold the QR code of the verification slip under the scanner');
    expect(textOf(render({ phase: VerifyPhase.Verifying }), 'verify-busy')).toBe('正在核验…');
    expect(textOf(render({ phase: VerifyPhase.Verifying }, Language.En), 'verify-busy')).toBe('Verifying…');
  });

  it('valid: title, masked holder, case number and issue date', () => {
    const zh = render(verdict(CertificateVerdict.Valid));
    expect(elementOf(zh, 'verify-result')).toContain('data-verdict="valid"');
    expect(textOf(zh, 'verify-verdict')).toBe('核验通过');
    expect(textOf(zh, 'verify-title')).toBe('社保参保证明');
    expect(textOf(zh, 'verify-holder')).toBe('刘*䶮');
    expect(textOf(zh, 'verify-case')).toBe('SB-20250220-0003');
    expect(textOf(zh, 'verify-issued')).toBe('2025年2月25日');
    const en = render(verdict(CertificateVerdict.Valid), Language.En);
    expect(textOf(en, 'verify-verdict')).toBe('Verified');
    expect(textOf(en, 'verify-title')).toBe('Certificate of social insurance');
    expect(textOf(en, 'verify-issued')).toBe('25 Feb 2025');
  });

  it.each([
    [CertificateVerdict.Malformed, '这不是有效的证照核验码，或二维码已损坏', /not a valid certificate code/],
    [CertificateVerdict.UnknownKey, '该凭条不是用本大厅的签发密钥签发的，无法确认真伪', /not signed with a key of this hall/],
    [CertificateVerdict.BadSignature, '凭条内容与签名不符，可能被伪造或篡改', /forged or altered/],
  ])('refused (%s): explained, nothing of the claimed certificate shown', (v, zh, en) => {
    const html = render(verdict(v));
    expect(textOf(html, 'verify-verdict')).toBe('核验未通过');
    expect(textOf(html, 'verify-reason')).toBe(zh);
    expect(html).not.toContain('verify-holder');
    expect(textOf(render(verdict(v), Language.En), 'verify-reason')).toMatch(en);
  });

  it('an unreadable scan and a failure', () => {
    expect(textOf(render({ phase: VerifyPhase.Unreadable }), 'verify-unreadable')).toBe('未能读取凭条二维码，请重新扫描');
    expect(textOf(render({ phase: VerifyPhase.Unreadable }, Language.En), 'verify-unreadable')).toBe('The slip could not be read — please scan it again');
    const failed: VerifyState = { phase: VerifyPhase.Failed, error: { code: KioskErrorCode.Internal, detail: '' } };
    expect(textOf(render(failed), 'verify-failed')).toBe('暂时无法核验系统繁忙，请稍后再试');
    expect(textOf(render(failed, Language.En), 'verify-failed')).toContain('Verification is not possible right now');
  });
});
