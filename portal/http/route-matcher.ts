export interface RouteTemplate {
  method: string;
  path: string;
}

export type RouteMatch<N extends string> =
  | { kind: 'found'; name: N; params: Record<string, string> }
  | { kind: 'method-not-allowed'; allowed: string[] }
  | { kind: 'not-found' };

interface CompiledRoute<N extends string> {
  name: N;
  method: string;
  pattern: RegExp;
  paramNames: string[];
}

/**
 * `/v1/counter/tickets/{ticketId}/complete` (OpenAPI) or `/v1/counter/tickets/:ticketId/complete`
 * (Fastify) -> a regex with one capture per parameter; a trailing Fastify `*` matches the rest.
 */
function compile(path: string): { pattern: RegExp; paramNames: string[] } {
  const paramNames: string[] = [];
  const source = path
    .split('/')
    .map((segment) => {
      const param = /^(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|:([A-Za-z_][A-Za-z0-9_]*))$/.exec(segment);
      const name = param?.[1] ?? param?.[2];
      if (name) {
        paramNames.push(name);
        return '([^/]+)';
      }
      if (segment === '*') return '.*';
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { pattern: new RegExp(`^${source}$`), paramNames };
}

/** A malformed escape stays as it is; the route's parameter schema then refuses it. */
function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Matches method + pathname against OpenAPI-style path templates. */
export function createRouteMatcher<N extends string>(routes: Readonly<Record<N, RouteTemplate>>) {
  const compiled: CompiledRoute<N>[] = (Object.keys(routes) as N[]).map((name) => {
    const route = routes[name];
    return { name, method: route.method.toUpperCase(), ...compile(route.path) };
  });
  return (method: string, pathname: string): RouteMatch<N> => {
    const allowed: string[] = [];
    for (const route of compiled) {
      const m = route.pattern.exec(pathname);
      if (!m) continue;
      if (route.method !== method.toUpperCase()) {
        allowed.push(route.method);
        continue;
      }
      const params: Record<string, string> = {};
      route.paramNames.forEach((param, i) => {
        params[param] = safeDecode(m[i + 1] ?? '');
      });
      return { kind: 'found', name: route.name, params };
    }
    return allowed.length > 0 ? { kind: 'method-not-allowed', allowed } : { kind: 'not-found' };
  };
}
