import MarkdownIt from 'markdown-it';

/** A Markdown document's structure as a reader sees it: headings by level, tables with their cells, list items. */
export interface MarkdownStructure {
  headings: { level: number; text: string }[];
  tables: { head: string[]; rows: string[][] }[];
  listItems: string[];
}

const md = new MarkdownIt();

/** Parses Markdown with a real parser (markdown-it) and keeps what tests check: headings, tables, list items. */
export function markdownStructure(source: string): MarkdownStructure {
  const tokens = md.parse(source, {});
  const out: MarkdownStructure = { headings: [], tables: [], listItems: [] };
  let table: { head: string[]; rows: string[][] } | null = null;
  let row: string[] | null = null;
  let inHead = false;
  let listDepth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const inline = () => tokens[i + 1]?.children?.filter((c) => c.type === 'text' || c.type === 'code_inline').map((c) => c.content).join('') ?? '';
    switch (t.type) {
      case 'heading_open':
        out.headings.push({ level: Number(t.tag.slice(1)), text: inline() });
        break;
      case 'table_open':
        table = { head: [], rows: [] };
        break;
      case 'table_close':
        if (table) out.tables.push(table);
        table = null;
        break;
      case 'thead_open':
        inHead = true;
        break;
      case 'thead_close':
        inHead = false;
        break;
      case 'tr_open':
        row = [];
        break;
      case 'tr_close':
        if (table && row && !inHead) table.rows.push(row);
        row = null;
        break;
      case 'th_open':
      case 'td_open':
        if (inHead) table?.head.push(inline());
        else row?.push(inline());
        break;
      case 'bullet_list_open':
      case 'ordered_list_open':
        listDepth++;
        break;
      case 'bullet_list_close':
      case 'ordered_list_close':
        listDepth--;
        break;
      case 'paragraph_open':
        if (listDepth > 0) out.listItems.push(inline());
        break;
    }
  }
  return out;
}

/** The rows of the first table whose header is exactly `head`, as objects keyed by column. */
export function tableRows(s: MarkdownStructure, head: readonly string[]): Record<string, string>[] {
  const t = s.tables.find((x) => x.head.join('\u0000') === head.join('\u0000'));
  if (!t) throw new Error(`no table with columns ${head.join(', ')}; tables: ${s.tables.map((x) => x.head.join(', ')).join(' / ')}`);
  return t.rows.map((r) => Object.fromEntries(head.map((h, i) => [h, r[i] ?? ''])));
}
