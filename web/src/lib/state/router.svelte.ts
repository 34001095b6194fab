/** The pages of the workspace; paths are real URLs (the server answers index.html for any non-/api GET). */
export type Route = { name: 'queue' } | { name: 'note'; id: string } | { name: 'inbox' } | { name: 'users' } | QaRoute | { name: 'not_found'; path: string };
/** The QA lead's pages and the coder's blind second coding; the comparison takes its two runs from the query (?a=&b=). */
export type QaRoute = { name: 'qa' } | { name: 'qa_compare'; a: string; b: string } | { name: 'qa_audit'; noteId: string } | { name: 'second_codings' } | { name: 'second_coding'; id: string };
const UUID = '([0-9a-f-]{36})';

function parse(path: string): Route {
  const p = path.split('?')[0]!.replace(/\/+$/, '') || '/';
  if (p === '/' || p === '/queue') return { name: 'queue' };
  if (p === '/inbox') return { name: 'inbox' };
  if (p === '/users') return { name: 'users' };
  if (p === '/qa') return { name: 'qa' };
  if (p === '/second-coding') return { name: 'second_codings' };
  if (p === '/qa/runs/compare') {
    const q = new URLSearchParams(path.split('?')[1] ?? '');
    return { name: 'qa_compare', a: q.get('a') ?? '', b: q.get('b') ?? '' };
  }
  const audit = new RegExp(`^/qa/audit/${UUID}$`, 'i').exec(p);
  if (audit) return { name: 'qa_audit', noteId: audit[1]! };
  const second = new RegExp(`^/second-coding/${UUID}$`, 'i').exec(p);
  if (second) return { name: 'second_coding', id: second[1]! };
  const note = /^\/notes\/([0-9a-f-]{36})$/i.exec(p);
  if (note) return { name: 'note', id: note[1]! };
  return { name: 'not_found', path: p };
}

export class RouterState {
  // With the query string: the run comparison is addressed by ?a=&b=.
  path = $state(location.pathname + location.search);
  route = $derived(parse(this.path));

  constructor() {
    addEventListener('popstate', () => (this.path = location.pathname + location.search));
  }

  go(path: string): void {
    if (path === this.path) return;
    history.pushState(null, '', path);
    this.path = path;
  }
}

export const router = new RouterState();
