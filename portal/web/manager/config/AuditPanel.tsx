import type { z } from 'zod';
import type { ConfigAuditEntry, StaffMemberView } from '../../../../common/contract/config-api.js';
import { Language } from '../../shared/i18n/language.js';
import type { ManagerDictionary } from '../i18n/index.js';

/** `2025-03-10 14:05:09` in the hall's zone (the machine's when the hall's is unknown). */
export function auditTime(iso: string, timeZone: string | undefined, language: Language): string {
  const options: Intl.DateTimeFormatOptions = { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' };
  const locale = language === Language.En ? 'en-CA' : 'zh-CN';
  try {
    return new Intl.DateTimeFormat(locale, { ...options, timeZone }).format(new Date(iso));
  } catch {
    return new Intl.DateTimeFormat(locale, options).format(new Date(iso));
  }
}

/** A value before or after a change, as indented JSON text (never HTML). */
const asText = (value: unknown): string => (value === null || value === undefined ? '—' : JSON.stringify(value, null, 2));

/**
 * The configuration's audit lines, newest first: when, who, what (the portal's action name),
 * which thing, and the values before and after, folded away until asked for.
 */
export function AuditPanel(props: {
  t: ManagerDictionary;
  language: Language;
  entries: ConfigAuditEntry[] | null;
  staff: z.infer<typeof StaffMemberView>[] | null;
  timeZone: string | undefined;
}) {
  const c = props.t.config;
  const who = (staffId: string) => props.staff?.find((s) => s.staffId === staffId)?.displayName ?? staffId;
  return (
    <div className="config-panel" data-testid="config-audit">
      <div className="table-scroll" role="region" aria-labelledby="audit-caption" tabIndex={0}>
        <table className="config-table">
          <caption id="audit-caption">{c.auditCaption}</caption>
          <thead>
            <tr>
              <th scope="col">{c.auditAt}</th>
              <th scope="col">{c.auditWho}</th>
              <th scope="col">{c.auditAction}</th>
              <th scope="col">{c.auditTarget}</th>
              <th scope="col">{c.auditChange}</th>
            </tr>
          </thead>
          <tbody>
            {props.entries?.length === 0 && (
              <tr>
                <td colSpan={5} className="none">
                  {c.noAudit}
                </td>
              </tr>
            )}
            {(props.entries ?? []).map((entry, i) => (
              <tr key={`${entry.at}-${i}`} data-testid="audit-line">
                <td>{auditTime(entry.at, props.timeZone, props.language)}</td>
                <td>{who(entry.staffId)}</td>
                <td>
                  <code>{entry.action}</code>
                </td>
                <td>{entry.target ?? '—'}</td>
                <td className="wrap">
                  <details>
                    <summary>{c.auditShow}</summary>
                    <div className="audit-values">
                      <div>
                        <p className="hint">{c.auditBefore}</p>
                        <pre>{asText(entry.before)}</pre>
                      </div>
                      <div>
                        <p className="hint">{c.auditAfter}</p>
                        <pre>{asText(entry.after)}</pre>
                      </div>
                    </div>
                  </details>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
