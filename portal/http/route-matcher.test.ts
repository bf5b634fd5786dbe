import { describe, expect, it } from 'vitest';
import { createRouteMatcher } from './route-matcher.js';

const match = createRouteMatcher({
  list: { method: 'get', path: '/v1/items' },
  finish: { method: 'post', path: '/v1/items/{itemId}/finish' },
});

describe('createRouteMatcher', () => {
  it('matches templates and extracts decoded parameters', () => {
    expect(match('GET', '/v1/items')).toEqual({ kind: 'found', name: 'list', params: {} });
    expect(match('POST', '/v1/items/a%20b/finish')).toEqual({ kind: 'found', name: 'finish', params: { itemId: 'a b' } });
  });

  it('tells a wrong method from an unknown path', () => {
    expect(match('POST', '/v1/items')).toEqual({ kind: 'method-not-allowed', allowed: ['GET'] });
    expect(match('GET', '/v1/items/x/finish/more')).toEqual({ kind: 'not-found' });
    expect(match('GET', '/v1/itemsX')).toEqual({ kind: 'not-found' });
  });

  it('keeps a malformed escape as it is instead of throwing', () => {
    expect(match('POST', '/v1/items/%E0%A4%A/finish')).toEqual({ kind: 'found', name: 'finish', params: { itemId: '%E0%A4%A' } });
  });
});

describe('createRouteMatcher with Fastify paths', () => {
  const fastifyMatch = createRouteMatcher({
    finish: { method: 'post', path: '/v1/items/:itemId/finish' },
    docs: { method: 'get', path: '/docs/*' },
  });

  it('reads `:param` and a trailing `*` as Fastify does', () => {
    expect(fastifyMatch('POST', '/v1/items/7/finish')).toEqual({ kind: 'found', name: 'finish', params: { itemId: '7' } });
    expect(fastifyMatch('POST', '/docs/static/index.css')).toEqual({ kind: 'method-not-allowed', allowed: ['GET'] });
    expect(fastifyMatch('GET', '/v1/items/7')).toEqual({ kind: 'not-found' });
  });
});
