import { useRef, useState } from 'react';

/** Copies to the clipboard; where the Clipboard API is refused (plain http off localhost), selects the text instead. */
async function copy(text: string, el: HTMLElement | null): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    if (el) {
      const range = document.createRange();
      range.selectNodeContents(el);
      const sel = window.getSelection();
      sel?.removeAllRanges();
      sel?.addRange(range);
    }
    return false;
  }
}

/** A block of text (a secret or a config snippet) with a Copy button. */
export function Copyable({ text, label, secret = false }: { text: string; label: string; secret?: boolean }) {
  const ref = useRef<HTMLPreElement>(null);
  const [state, setState] = useState<'idle' | 'copied' | 'selected'>('idle');
  const handleCopy = async () => {
    setState((await copy(text, ref.current)) ? 'copied' : 'selected');
    setTimeout(() => setState('idle'), 2_000);
  };
  return (
    <div className={`copyable${secret ? ' secret' : ''}`}>
      <pre ref={ref} aria-label={label} tabIndex={0}>
        {text}
      </pre>
      <button type="button" className="small" onClick={handleCopy} aria-label={`Copy ${label}`}>
        {state === 'copied' ? 'Copied' : state === 'selected' ? 'Selected: press Ctrl+C' : 'Copy'}
      </button>
    </div>
  );
}
