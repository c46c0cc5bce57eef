/**
 * Whether a Logs Insights `filter` expression keeps a log line (a parsed JSON
 * object, as Insights discovers its fields), for the expressions of
 * lib/support-queries.ts: `field = "text"` and `field >= number` terms joined
 * by `and`, or all by `or`. Anything else fails the test rather than guess.
 */
export const insightsFilterKeeps = (filter: string, line: Record<string, unknown>): boolean => {
  const hasAnd = / and /.test(filter);
  const hasOr = / or /.test(filter);
  if (hasAnd && hasOr) throw new Error(`mixed and/or is not supported: ${filter}`);
  const terms = filter.split(hasOr ? ' or ' : ' and ').map((term) => {
    const parts = term.trim().match(/^([\w@]+)\s*(=|>=)\s*(?:"([^"]*)"|(\d+))$/);
    if (parts === null) throw new Error(`unsupported filter term: ${term}`);
    const [, field, operator, text, number] = parts;
    const value = line[field as string];
    if (operator === '=') return value === (text ?? Number(number));
    return typeof value === 'number' && value >= Number(number);
  });
  return hasOr ? terms.some(Boolean) : terms.every(Boolean);
};

/**
 * A dashboard body with its tokens (`{ Ref: id }`, `{ 'Fn::GetAtt': [id, attr] }`)
 * written as `{{id}}` / `{{id.attr}}`, parsed.
 */
// biome-ignore lint/suspicious/noExplicitAny: CloudFormation JSON is untyped
export const dashboardBodyOf = (body: any): any => {
  if (typeof body === 'string') return JSON.parse(body);
  // biome-ignore lint/suspicious/noExplicitAny: CloudFormation JSON is untyped
  const parts = body['Fn::Join'][1] as any[];
  const text = parts
    .map((part) => {
      if (typeof part === 'string') return part;
      if (part.Ref) return `{{${part.Ref}}}`;
      if (part['Fn::GetAtt']) return `{{${part['Fn::GetAtt'].join('.')}}}`;
      throw new Error(`unexpected token in the dashboard body: ${JSON.stringify(part)}`);
    })
    .join('');
  return JSON.parse(text);
};
