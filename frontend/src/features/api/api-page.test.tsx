import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { parseRoute } from '../../lib/router';
import { fakeNode, renderInApp } from '../../test-support';
import ApiPage from './api-page';
import { typeLabel, type OpenApi } from './openapi';

afterEach(cleanup);

/** A slice of what the node serves, in its shapes: a list answer, a nullable field, a nested record, a tuple. */
const DOC: OpenApi = {
  info: { title: 'Steward API', version: '1.2.3', description: 'Every endpoint of a Steward node.' },
  tags: [{ name: 'Sessions' }, { name: 'Servers' }, { name: 'Empty' }],
  paths: {
    '/api/auth/login': {
      post: {
        tags: ['Sessions'], summary: 'Log in', operationId: 'postAuthLogin', 'x-steward-access': 'public',
        requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/LoginRequest' } } } },
        responses: { 200: { description: 'Log in', content: { 'application/json': { schema: { type: 'object' } } } } },
      },
    },
    '/api/servers': {
      get: {
        tags: ['Servers'], summary: 'The fleet', operationId: 'getServers', 'x-steward-access': 'user',
        responses: { 200: { content: { 'application/json': { schema: { type: 'array', items: { $ref: '#/components/schemas/ServerSummary' } } } } } },
      },
    },
    '/api/servers/{id}': {
      delete: {
        tags: ['Servers'], summary: 'Delete a server', operationId: 'deleteServersId', 'x-steward-access': 'admin',
        parameters: [{ name: 'id', in: 'path', required: true }],
        responses: { 200: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Deleted' } } } } },
      },
    },
  },
  components: {
    schemas: {
      LoginRequest: {
        type: 'object', required: ['username', 'password'],
        properties: { username: { type: 'string' }, password: { type: 'string' }, remember: { type: ['boolean', 'null'] } },
      },
      ServerSummary: {
        type: 'object', required: ['id', 'system'],
        properties: { id: { type: 'string' }, system: { $ref: '#/components/schemas/SystemIdentity' } },
      },
      SystemIdentity: { type: 'object', required: ['os'], properties: { os: { type: 'string' } } },
      Deleted: { type: 'object', required: ['deleted'], properties: { deleted: { type: 'string' } } },
    },
  },
};

function node() {
  return fakeNode((call) => (call.method === 'GET' && call.path === '/api/openapi.json' ? { body: DOC } : undefined));
}

describe('ApiPage', () => {
  it('lists every endpoint under its tag with who may call it, and leaves out tags with none', async () => {
    renderInApp(<ApiPage />, node().http);
    const tags = await screen.findAllByTestId('api-tag');
    expect(tags.map((tag) => tag.querySelector('h2')?.textContent)).toEqual(['Sessions', 'Servers']);
    const rows = screen.getAllByTestId('api-endpoint');
    expect(rows.map((row) => row.getAttribute('data-key')))
      .toEqual(['POST /api/auth/login', 'GET /api/servers', 'DELETE /api/servers/{id}']);
    expect(rows.map((row) => within(row).getByTestId('api-access').textContent)).toEqual(['public', 'user', 'admin']);
    expect(screen.getByTestId('api-download').getAttribute('href')).toBe('/api/openapi.json');
  });

  it('shows what an endpoint takes and answers, field by field, nested records on demand', async () => {
    renderInApp(<ApiPage />, node().http);
    const login = (await screen.findAllByTestId('api-endpoint'))[0];
    const shapes = within(login).getAllByTestId('api-shape');
    expect(shapes[0].querySelector('h3')?.textContent).toBe('Takes (application/json): LoginRequest');
    expect(within(shapes[0]).getAllByTestId('api-field').map((field) => field.textContent))
      .toEqual(['username: string', 'password: string', 'remember?: boolean | null']);
    const fleet = screen.getAllByTestId('api-endpoint')[1];
    const answer = within(fleet).getByTestId('api-shape');
    expect(answer.querySelector('h3')?.textContent).toBe('Answers 200 (application/json): ServerSummary[]');
    const system = within(answer).getAllByTestId('api-field')[1];
    expect(system.textContent).toContain('system: SystemIdentity');
    expect(within(system).getByText('os', { exact: false })).toBeTruthy();
  });

  it('filters by path, method or words', async () => {
    renderInApp(<ApiPage />, node().http);
    await screen.findAllByTestId('api-endpoint');
    fireEvent.change(screen.getByTestId('api-filter'), { target: { value: 'delete server' } });
    expect(screen.getAllByTestId('api-endpoint').map((row) => row.getAttribute('data-key')))
      .toEqual(['DELETE /api/servers/{id}']);
  });

  it('has its own address, outside the API prefix', () => {
    expect(parseRoute('/api-docs')).toEqual({ page: 'api' });
  });
});

describe('typeLabel', () => {
  it('writes types as a reader expects', () => {
    expect(typeLabel({ type: ['number', 'null'], format: 'double' })).toBe('number | null');
    expect(typeLabel({ $ref: '#/components/schemas/SystemIdentity-nullable' })).toBe('SystemIdentity | null');
    expect(typeLabel({ type: 'array', prefixItems: [{ type: 'integer' }, { type: 'number' }] })).toBe('[integer, number]');
    expect(typeLabel({ type: 'string', enum: ['up', 'down'] })).toBe('"up" | "down"');
    expect(typeLabel({ type: 'object', additionalProperties: { type: 'integer' } })).toBe('{ [key]: integer }');
    expect(typeLabel({ type: 'string', format: 'date-time' })).toBe('string (date-time)');
  });
});
