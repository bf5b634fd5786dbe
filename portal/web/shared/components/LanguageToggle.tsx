import { Language } from '../i18n/language.js';

/** 中文 / English, the chosen one underlined; one button that switches. */
export function LanguageToggle({ language, label, onToggle }: { language: Language; label: string; onToggle: () => void }) {
  return (
    <button type="button" className="lang-toggle" data-testid="lang-toggle" data-language={language} aria-label={label} onClick={onToggle}>
      <span lang="zh-CN" className={language === Language.Zh ? 'lang-active' : undefined}>
        中文
      </span>
      <span className="lang-separator" aria-hidden="true">
        /
      </span>
      <span lang="en" className={language === Language.En ? 'lang-active' : undefined}>
        English
      </span>
    </button>
  );
}
