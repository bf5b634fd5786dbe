import { MaterialForm, type GuideMaterial } from '../../common/contract/guide.js';
import type { LocalizedText } from '../../common/contract/localized-text.js';
import { DocumentBuilder } from './document-layout.js';
import { formatHallTime, type ReceiptTextOptions } from './ticket-receipt.js';

/** What the "bring these" slip says: a service guide's materials list (办事指南 · 申请材料). */
export interface GuideReceipt {
  hallName: LocalizedText;
  serviceName: LocalizedText;
  materials: readonly GuideMaterial[];
  fees: LocalizedText;
  location: LocalizedText;
  /** 承诺办结时限 in working days; null: none promised. */
  promisedTimeLimitDays: number | null;
  printedAt: Date;
  /** IANA zone for the printed time. */
  timeZone: string;
}

const FORM_TEXT: Readonly<Record<MaterialForm, LocalizedText>> = {
  [MaterialForm.Original]: { zh: '原件', en: 'original' },
  [MaterialForm.Copy]: { zh: '复印件', en: 'copy' },
  [MaterialForm.OriginalAndCopy]: { zh: '原件及复印件', en: 'original and copy' },
  [MaterialForm.Electronic]: { zh: '电子版', en: 'electronic' },
};

/** `1. 居民身份证 原件 1份` / `   ID card: original x1`, and the note when there is one. */
function materialLines(m: GuideMaterial, index: number): string[] {
  const form = FORM_TEXT[m.form];
  const indent = ' '.repeat(String(index + 1).length + 2);
  const lines = [`${index + 1}. ${m.name.zh} ${form.zh} ${m.count}份`, `${indent}${m.name.en}: ${form.en} x${m.count}`];
  if (m.note) lines.push(`${indent}(${m.note.zh} / ${m.note.en})`);
  return lines;
}

/**
 * The materials list a visitor takes home before coming back with everything ("请携带以下材料 /
 * Please bring"): each material with original/copy and how many, then fees, where and the
 * promised time limit. ESC/POS bytes; a line with a 生僻字 goes out as a raster line.
 */
export function composeGuideReceipt(g: GuideReceipt, opts: ReceiptTextOptions = {}): Buffer {
  const doc = new DocumentBuilder(opts);
  doc.bold(g.hallName.zh).line(g.hallName.en).rule();
  doc.bold(g.serviceName.zh).line(g.serviceName.en).blank();
  doc.bold('请携带以下材料 / Please bring');
  doc.left();
  if (g.materials.length === 0) doc.line('无需携带材料 / Nothing to bring');
  g.materials.forEach((m, i) => {
    for (const text of materialLines(m, i)) doc.line(text);
  });
  doc.blank();
  doc.line(`收费 / Fees: ${g.fees.zh} / ${g.fees.en}`);
  doc.line(`地点 / Where: ${g.location.zh} / ${g.location.en}`);
  if (g.promisedTimeLimitDays !== null) {
    doc.line(`承诺时限 / Promised: ${g.promisedTimeLimitDays} 个工作日 / ${g.promisedTimeLimitDays} working days`);
  }
  doc.center().blank().line(`打印时间 / Printed ${formatHallTime(g.printedAt, g.timeZone)}`);
  return doc.finish();
}
