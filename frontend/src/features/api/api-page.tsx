import { useCallback, useState } from 'react';
import { useApp } from '../../lib/app-context';
import { useLoad } from '../../lib/use-load';
import { LoadStatus } from '../../components/feedback';
import {
  endpointsByTag, OPENAPI_PATH, openApi, referenced, typeLabel, type Endpoint, type OpenApi, type Schema,
} from './openapi';
import './api-page.css';

/** The API, browsable: every endpoint by topic, who may call it, its parameters and the shapes it takes and answers. */
export default function ApiPage() {
  const { http } = useApp();
  const doc = useLoad(useCallback(() => openApi(http), [http]));
  const [filter, setFilter] = useState('');
  const data = doc.data;
  return (
    <main className="page api-page">
      <h1>API</h1>
      <LoadStatus loaded={doc} failure="Could not load the API description" lines={6} />
      {data !== null && (
        <>
          <p className="muted" data-testid="api-intro">{data.info.description}</p>
          <p>
            <a href={OPENAPI_PATH} download="steward-openapi.json" data-testid="api-download">OpenAPI 3.1 document</a>
            {' '}(version {data.info.version}) for client generators, Postman or Swagger UI.
          </p>
          <input type="search" placeholder="Filter: path, method or words" value={filter} aria-label="Filter endpoints"
            onChange={(event) => setFilter(event.target.value)} data-testid="api-filter" />
          {endpointsByTag(data, filter).map(([tag, endpoints]) => (
            <section key={tag} data-testid="api-tag">
              <h2>{tag}</h2>
              <ul className="api-endpoints">
                {endpoints.map((endpoint) => <EndpointRow key={`${endpoint.method} ${endpoint.path}`} doc={data} endpoint={endpoint} />)}
              </ul>
            </section>
          ))}
        </>
      )}
    </main>
  );
}

function EndpointRow({ doc, endpoint }: { doc: OpenApi; endpoint: Endpoint }) {
  const { operation } = endpoint;
  const access = operation['x-steward-access'];
  const answer = Object.entries(operation.responses).find(([code]) => code.startsWith('2'));
  const answerMedia = answer?.[1].content === undefined ? undefined : Object.entries(answer[1].content)[0];
  const request = operation.requestBody === undefined ? undefined : Object.entries(operation.requestBody.content)[0];
  return (
    <li data-testid="api-endpoint" data-key={`${endpoint.method} ${endpoint.path}`}>
      <details>
        <summary>
          <span className={`api-method api-${endpoint.method.toLowerCase()}`}>{endpoint.method}</span>
          <code className="api-path">{endpoint.path}</code>
          <span className="api-summary">{operation.summary}</span>
          <span className={`api-access api-access-${access}`} title={ACCESS[access]} data-testid="api-access">{access}</span>
        </summary>
        <div className="api-detail">
          {(operation.parameters ?? []).length > 0 && (
            <table className="api-params">
              <thead><tr><th>Parameter</th><th>In</th><th>Description</th></tr></thead>
              <tbody>
                {(operation.parameters ?? []).map((parameter) => (
                  <tr key={`${parameter.in}-${parameter.name}`}>
                    <td><code>{parameter.name}</code>{parameter.required ? ' *' : ''}</td>
                    <td>{parameter.in}</td>
                    <td>{parameter.description ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {request !== undefined && <Shape doc={doc} title={`Takes (${request[0]})`} schema={request[1].schema} />}
          {answer !== undefined && (
            <Shape doc={doc} title={`Answers ${answer[0]}${answerMedia === undefined ? '' : ` (${answerMedia[0]})`}`}
              schema={answerMedia?.[1].schema} />
          )}
        </div>
      </details>
    </li>
  );
}

const ACCESS = {
  public: 'No login needed',
  user: 'Any logged-in user or API token',
  admin: 'Admins, and admin-scoped API tokens of admins',
} as const;

/** A body's type, and the fields of the record it names (one level; nested records open on demand). */
function Shape({ doc, title, schema }: { doc: OpenApi; title: string; schema: Schema | undefined }) {
  const list = schema?.type === 'array' && typeof schema.items === 'object' ? schema.items : undefined;
  const target = referenced(doc, list ?? schema);
  return (
    <div className="api-shape" data-testid="api-shape">
      <h3>{title}: <code>{typeLabel(schema)}</code></h3>
      {schema?.description !== undefined && <p className="muted">{schema.description}</p>}
      {target !== null && <Fields doc={doc} schema={target[1]} depth={0} />}
    </div>
  );
}

function Fields({ doc, schema, depth }: { doc: OpenApi; schema: Schema; depth: number }) {
  const parts = [schema, ...(schema.allOf ?? []).map((part) => referenced(doc, part)?.[1] ?? part)];
  const fields = parts.flatMap((part) => Object.entries(part.properties ?? {})
    .map(([name, field]) => ({ name, field, required: part.required?.includes(name) ?? false })));
  if (fields.length === 0) return schema.enum === undefined ? null : <p><code>{typeLabel(schema)}</code></p>;
  return (
    <ul className="api-fields">
      {fields.map(({ name, field, required }) => {
        const list = field.type === 'array' && typeof field.items === 'object' ? field.items : undefined;
        const nested = depth < 3 ? referenced(doc, list ?? field) : null;
        const label = <><code>{name}</code>{required ? '' : '?'}: <span className="api-type">{typeLabel(field)}</span></>;
        return (
          <li key={name} data-testid="api-field">
            {nested !== null && nested[1].properties !== undefined
              ? <details><summary>{label}</summary><Fields doc={doc} schema={nested[1]} depth={depth + 1} /></details>
              : label}
          </li>
        );
      })}
    </ul>
  );
}
