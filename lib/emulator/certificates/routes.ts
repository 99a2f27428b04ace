/** Routes of the certificates area. */
import { badParameter, conflict } from '../errors.js';
import { bodyObject, optBool, optObject, optString, optStringArray, optTags, reqString } from '../input.js';
import { type Deletion, type Version, nowSeconds } from '../objects.js';
import { page } from '../paging.js';
import { type Route, type VaultRequest, type VaultResponse, ok } from '../router.js';
import { nodeKeys } from '../key-material.js';
import type { Store } from '../store.js';
import { certificateMatchesKey, leafFirst, parseX5c } from '../../pki/pem.js';
import { changesOf, contactsOf, includePending, issuerFrom, readImportValue } from './input.js';
import { importedPolicy, normalizePolicy } from './policy.js';
import { type CertificateRecord, type ContactsRecord, type IssuerRecord, type OperationRecord, RETRY_AFTER } from './records.js';
import { certificateId, deletion, renderCertificate, renderIssuer, renderItem, renderOperation, renderPolicy } from './render.js';
import { CertificateVault } from './vault.js';

/** The certificates route table. */
export function certificateRoutes(store: Store): Route[] {
  const vault = new CertificateVault(store);
  const name = (req: VaultRequest): string => req.params['name']!;
  const bundle = (req: VaultRequest, v: Version<CertificateRecord>): Record<string, unknown> => renderCertificate(req.origin, v, vault.operation(v.name));
  const deleted = (req: VaultRequest, d: Version<CertificateRecord> & Deletion) => ({ ...deletion(req.origin, d), ...renderCertificate(req.origin, d, undefined) });
  // Retry-After tells pollers to come back while the operation is in progress (not on its deletion).
  const operation = (req: VaultRequest, op: OperationRecord, retryAfter = op.status === 'inProgress'): VaultResponse => ({
    status: 200,
    body: renderOperation(req.origin, vault.certificates.get(name(req)).name, op),
    ...(retryAfter ? { headers: { 'Retry-After': RETRY_AFTER } } : {}),
  });
  const visible = (req: VaultRequest) => (v: Version<CertificateRecord>) => includePending(req) || v.value.cer !== undefined;
  const issuer = (req: VaultRequest): IssuerRecord => vault.issuer(name(req));
  const contacts = (): ContactsRecord => vault.contactsRecord();
  const renderContacts = (req: VaultRequest, c: ContactsRecord) => ({ id: `${req.origin}/certificates/contacts`, contacts: c.contacts });

  return [
    {
      method: 'POST',
      path: '/certificates/{name}/create',
      handler: async (req) => {
        const body = bodyObject(req);
        const policy = optObject(body, 'policy');
        if (!policy) throw badParameter("Property 'policy' is required.");
        const normalized = normalizePolicy(policy, nowSeconds(store));
        const op = await vault.create(name(req), normalized, changesOf(body), optTags(body), optBool(body, 'preserveCertOrder'));
        const display = vault.certificates.get(name(req)).name;
        // The service answers the creation itself as in progress, whatever the issuer; the next poll tells more.
        const started: OperationRecord = { ...op, status: 'inProgress' };
        return {
          status: 202,
          body: renderOperation(req.origin, display, started),
          headers: { Location: `${certificateId(req.origin, display)}/pending?api-version=${req.apiVersion}&request_id=${op.requestId}`, 'Retry-After': RETRY_AFTER },
        };
      },
    },
    {
      method: 'POST',
      path: '/certificates/{name}/import',
      handler: async (req) => {
        const body = bodyObject(req);
        const policyRaw = optObject(body, 'policy');
        const requestedType = policyRaw && optString(optObject(policyRaw, 'secret_props') ?? {}, 'contentType');
        const { content, contentType } = readImportValue(reqString(body, 'value'), optString(body, 'pwd') ?? '', requestedType);
        const policy = importedPolicy(policyRaw, content, contentType, nowSeconds(store));
        return ok(bundle(req, vault.import(name(req), content, policy, changesOf(body), optTags(body), optBool(body, 'preserveCertOrder'))));
      },
    },
    { method: 'GET', path: '/certificates/{name}/pending', handler: (req) => operation(req, vault.pendingOperation(name(req))) },
    {
      method: 'PATCH',
      path: '/certificates/{name}/pending',
      handler: (req) => {
        const requested = optBool(bodyObject(req), 'cancellation_requested');
        if (requested === undefined) throw badParameter("Property 'cancellation_requested' is required.");
        const op = vault.pendingOperation(name(req));
        if (!requested) return operation(req, op);
        const cancelled: OperationRecord = { ...op, cancellationRequested: true, ...(op.status === 'inProgress' ? { status: 'cancelled' as const } : {}) };
        vault.operations.put(name(req).toLowerCase(), cancelled);
        return operation(req, cancelled);
      },
    },
    {
      method: 'DELETE',
      path: '/certificates/{name}/pending',
      handler: (req) => {
        const op = vault.pendingOperation(name(req));
        const response = operation(req, op, false);
        vault.operations.delete(name(req).toLowerCase());
        return response;
      },
    },
    {
      method: 'POST',
      path: '/certificates/{name}/pending/merge',
      handler: (req) => {
        const body = bodyObject(req);
        const x5c = optStringArray(body, 'x5c');
        if (!x5c?.length) throw badParameter('Property x5c has invalid value X5C must has at least one valid item');
        const op = vault.pendingOperation(name(req));
        if (op.status !== 'inProgress' || !op.key) throw conflict(`The pending operation of certificate ${name(req)} is ${op.status}: there is nothing to merge.`);
        let chain: Uint8Array[];
        try {
          chain = parseX5c(x5c);
        } catch {
          throw badParameter('Property x5c has invalid value X5C must has at least one valid item');
        }
        const key = nodeKeys(op.key).private;
        // The service finds the leaf by the pending key; a chain without it is refused, as there.
        if (!chain.some((c) => certificateMatchesKey(c, key))) throw badParameter('Unable to parse X5c certificate chain and locate leaf certificate');
        const changes = changesOf(body);
        const tags = optTags(body) ?? op.tags;
        const merged: OperationRecord = { ...op, attributes: { ...op.attributes, ...changes }, ...(tags ? { tags } : {}) };
        const done = vault.complete(name(req), merged, leafFirst({ key, chain }).chain, key);
        return { status: 201, body: bundle(req, done), headers: { Location: `${certificateId(req.origin, done.name)}?api-version=${req.apiVersion}` } };
      },
    },
    { method: 'GET', path: '/certificates/{name}/policy', handler: (req) => { const v = vault.certificates.get(name(req)); return ok(renderPolicy(req.origin, v.name, v.value.policy)); } },
    {
      method: 'PATCH',
      path: '/certificates/{name}/policy',
      handler: (req) => {
        const latest = vault.certificates.get(name(req));
        const policy = normalizePolicy(bodyObject(req), nowSeconds(store), latest.value.policy);
        vault.certificates.replace(latest, { ...latest.value, policy });
        return ok(renderPolicy(req.origin, latest.name, policy));
      },
    },
    {
      method: 'GET',
      path: '/certificates/{name}/versions',
      handler: (req) => ok(page(req, vault.certificates.versions(name(req)), (v) => v.version, (v) => renderItem(req.origin, v, true))),
    },
    { method: 'GET', path: '/certificates/{name}/{version?}', handler: (req) => ok(bundle(req, vault.certificates.get(name(req), req.params['version']))) },
    {
      method: 'PATCH',
      path: '/certificates/{name}/{version?}',
      handler: (req) => {
        const body = bodyObject(req);
        const found = vault.certificates.get(name(req), req.params['version']);
        const changes = changesOf(body);
        const tags = optTags(body);
        const policyRaw = optObject(body, 'policy');
        const now = nowSeconds(store);
        const record: CertificateRecord = {
          ...found.value,
          // nbf and exp belong to the certificate itself; only `enabled` can change.
          attributes: { ...found.value.attributes, ...(changes.enabled === undefined ? {} : { enabled: changes.enabled }), updated: now },
          ...(tags === undefined ? {} : { tags }),
          ...(policyRaw ? { policy: normalizePolicy(policyRaw, now, found.value.policy) } : {}),
        };
        return ok(bundle(req, vault.update(found, record)));
      },
    },
    { method: 'DELETE', path: '/certificates/{name}', handler: (req) => ok(deleted(req, vault.delete(name(req)))) },
    {
      method: 'GET',
      path: '/certificates',
      handler: (req) => ok(page(req, vault.certificates.list().filter(visible(req)), (v) => v.name.toLowerCase(), (v) => renderItem(req.origin, v, false))),
    },
    { method: 'POST', path: '/certificates/{name}/backup', handler: (req) => ok({ value: vault.backup(name(req)) }) },
    { method: 'POST', path: '/certificates/restore', handler: (req) => ok(bundle(req, vault.restore(reqString(bodyObject(req), 'value')))) },
    { method: 'GET', path: '/deletedcertificates/{name}', handler: (req) => ok(deleted(req, vault.certificates.getDeleted(name(req)))) },
    {
      method: 'GET',
      path: '/deletedcertificates',
      handler: (req) =>
        ok(
          page(
            req,
            vault.certificates.listDeleted().filter(visible(req)),
            (d) => d.name.toLowerCase(),
            (d) => ({ ...deletion(req.origin, d), ...renderItem(req.origin, d, false) }),
          ),
        ),
    },
    { method: 'POST', path: '/deletedcertificates/{name}/recover', handler: (req) => ok(bundle(req, vault.recover(name(req)))) },
    {
      method: 'DELETE',
      path: '/deletedcertificates/{name}',
      handler: (req) => {
        vault.purge(name(req));
        return { status: 204 };
      },
    },
    {
      method: 'PUT',
      path: '/certificates/contacts',
      handler: (req) => {
        const record: ContactsRecord = { contacts: contactsOf(bodyObject(req)) };
        vault.contacts.put('contacts', record);
        return ok(renderContacts(req, record));
      },
    },
    { method: 'GET', path: '/certificates/contacts', handler: (req) => ok(renderContacts(req, contacts())) },
    {
      method: 'DELETE',
      path: '/certificates/contacts',
      handler: (req) => {
        const record = contacts();
        vault.contacts.delete('contacts');
        return ok(renderContacts(req, record));
      },
    },
    {
      method: 'GET',
      path: '/certificates/issuers',
      handler: (req) => {
        const all = [...vault.issuers.values()].sort((a, b) => (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : 1));
        return ok(page(req, all, (i) => i.name.toLowerCase(), (i) => ({ id: `${req.origin}/certificates/issuers/${i.name}`, provider: i.provider })));
      },
    },
    {
      method: 'PUT',
      path: '/certificates/issuers/{name}',
      handler: (req) => {
        const record = issuerFrom(name(req), bodyObject(req), undefined, nowSeconds(store));
        vault.issuers.put(name(req).toLowerCase(), record);
        return ok(renderIssuer(req.origin, record));
      },
    },
    { method: 'GET', path: '/certificates/issuers/{name}', handler: (req) => ok(renderIssuer(req.origin, issuer(req))) },
    {
      method: 'PATCH',
      path: '/certificates/issuers/{name}',
      handler: (req) => {
        const record = issuerFrom(name(req), bodyObject(req), issuer(req), nowSeconds(store));
        vault.issuers.put(name(req).toLowerCase(), record);
        return ok(renderIssuer(req.origin, record));
      },
    },
    {
      method: 'DELETE',
      path: '/certificates/issuers/{name}',
      handler: (req) => {
        const record = issuer(req);
        vault.issuers.delete(name(req).toLowerCase());
        return ok(renderIssuer(req.origin, record));
      },
    },
  ];
}
