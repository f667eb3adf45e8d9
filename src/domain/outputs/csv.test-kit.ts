/** A test kit may not use node:assert here (the domain stays free of Node's modules): it throws instead. */
function assert(ok: boolean, message: string): asserts ok {
  if (!ok) throw new Error(message);
}
/** A strict RFC 4180 reader: every record ends with CRLF, quoted fields may hold commas, quotes and line breaks. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  while (i < text.length) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        assert(q >= 0, 'unterminated quoted field');
        field += text.slice(i, q);
        if (text[q + 1] === '"') {
          field += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
    } else {
      while (i < text.length && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') {
        assert(text[i] !== '"', 'a quote inside an unquoted field');
        field += text[i++];
      }
    }
    row.push(field);
    if (text[i] === ',') {
      i++;
      continue;
    }
    assert(text.slice(i, i + 2) === '\r\n', `a record must end with CRLF at ${i}`);
    i += 2;
    rows.push(row);
    row = [];
  }
  return rows;
}
