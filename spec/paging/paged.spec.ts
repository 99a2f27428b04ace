import { expect } from 'chai';
import { ValidationError } from '../../lib/index.js';
import { VAULT, expectChallenge, mockedClient, vault } from '../helpers/mock.js';
import { recording } from '../helpers/recordings.js';

const API = { 'api-version': '2025-07-01' };
const item = (name: string) => ({ id: `${VAULT}/secrets/${name}`, attributes: { enabled: true, created: 1700000000 } });
const link = (token: string) => `${VAULT}/secrets?api-version=2025-07-01&$skiptoken=${token}&maxresults=2`;

function threePages() {
  const { client } = mockedClient();
  const scope = vault();
  expectChallenge(scope, 'get', '/secrets');
  scope.get('/secrets').query({ ...API, maxresults: '2' }).reply(200, { value: [item('a'), item('b')], nextLink: link('p2') });
  scope.get('/secrets').query({ ...API, $skiptoken: 'p2', maxresults: '2' }).reply(200, { value: [item('c'), item('d')], nextLink: link('p3') });
  return { secrets: client.secrets, scope };
}

describe('paged listings', () => {
  it('walks three pages following nextLink as served, each page carrying its continuation token', async () => {
    const { secrets, scope } = threePages();
    scope.get('/secrets').query({ ...API, $skiptoken: 'p3', maxresults: '2' }).reply(200, { value: [item('e')], nextLink: null });
    const pages: { names: string[]; token: string | undefined }[] = [];
    for await (const page of secrets.listPropertiesOfSecrets().byPage({ maxPageSize: 2 })) {
      pages.push({ names: page.map((p) => p.name), token: page.continuationToken });
    }
    expect(pages).to.deep.equal([
      { names: ['a', 'b'], token: link('p2') },
      { names: ['c', 'd'], token: link('p3') },
      { names: ['e'], token: undefined },
    ]);
    scope.done();
  });

  it('resumes from a continuation token', async () => {
    const { secrets, scope } = threePages();
    scope.get('/secrets').query({ ...API, $skiptoken: 'p3', maxresults: '2' }).twice().reply(200, { value: [item('e')], nextLink: null });
    const iterator = secrets.listPropertiesOfSecrets().byPage({ maxPageSize: 2 });
    await iterator.next();
    const second = (await iterator.next()).value as { continuationToken?: string };
    const names: string[] = [];
    for await (const page of secrets.listPropertiesOfSecrets().byPage({ continuationToken: second.continuationToken! })) names.push(...page.map((p) => p.name));
    expect(names).to.deep.equal(['e']);
    const rest: string[] = [];
    for await (const page of secrets.listPropertiesOfSecrets().byPage({ continuationToken: second.continuationToken! })) rest.push(...page.map((p) => p.name));
    expect(rest).to.deep.equal(['e']);
  });

  it('iterates items across pages', async () => {
    const { secrets, scope } = threePages();
    scope.get('/secrets').query({ ...API, $skiptoken: 'p3', maxresults: '2' }).reply(200, { value: [item('e')] });
    const names: string[] = [];
    for await (const p of secrets.listPropertiesOfSecrets({ maxPageSize: 2 })) names.push(p.name);
    expect(names).to.deep.equal(['a', 'b', 'c', 'd', 'e']);
    scope.done();
  });

  it('refuses to follow a nextLink to another host (the token would go with it)', async () => {
    const { client } = mockedClient();
    const scope = vault();
    expectChallenge(scope, 'get', '/secrets');
    scope.get('/secrets').query(API).reply(200, { value: [item('a')], nextLink: 'https://attacker.example.com/secrets?$skiptoken=x' });
    const names: string[] = [];
    const error = await (async () => { for await (const p of client.secrets.listPropertiesOfSecrets()) names.push(p.name); })().catch((e: unknown) => e);
    expect(names).to.deep.equal(['a']);
    expect(error).to.be.instanceOf(ValidationError).and.include({ code: 'ForeignHost' });
    scope.done();
  });

  it('rejects a page size outside 1-25 before sending', async () => {
    const { client } = mockedClient();
    const error = await client.secrets.listPropertiesOfSecrets().byPage({ maxPageSize: 26 }).next().catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ValidationError).and.include({ code: 'InvalidPageSize' });
  });

  it('decodes the recorded version listing of the service, page by page', async () => {
    const session = recording('secrets', 'js_recording_can_retrieve_all_versions_of_a_secret_by_page[7.6-preview.2]');
    const pages = session.filter((e) => e.RequestUri.includes('/versions') && e.StatusCode === 200);
    const name = new URL(pages[0]!.RequestUri).pathname.split('/')[2]!;
    const { client } = mockedClient();
    const scope = vault();
    expectChallenge(scope, 'get', `/secrets/${name}/versions`);
    for (const page of pages) {
      const url = new URL(page.RequestUri);
      const query = Object.fromEntries(url.searchParams);
      query['api-version'] = '2025-07-01';
      const body = JSON.parse(JSON.stringify(page.ResponseBody).replaceAll(/https:\/\/[a-z0-9_.-]+\.vault\.azure\.net(:443)?/gi, VAULT));
      scope.get(url.pathname).query(query).reply(200, body);
    }
    const versions: string[] = [];
    for await (const page of client.secrets.listPropertiesOfSecretVersions(name).byPage({ maxPageSize: 1 })) versions.push(...page.map((p) => p.version!));
    expect(versions).to.have.length(pages.reduce((n, p) => n + (p.ResponseBody.value?.length ?? 0), 0));
    expect(versions.length).to.be.greaterThan(1);
    for (const v of versions) expect(v).to.match(/^[0-9a-f]{32}$/);
    scope.done();
  });
});
