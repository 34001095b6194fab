/** The pages of the workspace; paths are real URLs (the server answers index.html for any non-/api GET). */
export type Route = { name: 'queue' } | { name: 'note'; id: string } | { name: 'inbox' } | { name: 'not_found'; path: string };

function parse(path: string): Route {
  const p = path.split('?')[0]!.replace(/\/+$/, '') || '/';
  if (p === '/' || p === '/queue') return { name: 'queue' };
  if (p === '/inbox') return { name: 'inbox' };
  const note = /^\/notes\/([0-9a-f-]{36})$/i.exec(p);
  if (note) return { name: 'note', id: note[1]! };
  return { name: 'not_found', path: p };
}

export class RouterState {
  path = $state(location.pathname);
  route = $derived(parse(this.path));

  constructor() {
    addEventListener('popstate', () => (this.path = location.pathname));
  }

  go(path: string): void {
    if (path === this.path) return;
    history.pushState(null, '', path);
    this.path = path;
  }
}

export const router = new RouterState();
