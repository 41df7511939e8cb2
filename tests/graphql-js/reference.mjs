// graphql-js as the reference executor. Reads from stdin
//   {"sdl": "...", "cases": [{"name", "document", "variables", "types", "responseText"}]}
// where `responseText` is the body Tandem answered (as text: its key order counts). For each case graphql-js executes
// the document against the SDL with resolvers that fail exactly where Tandem
// reported an error and otherwise answer Tandem's values (or, under a field
// Tandem nulled, a placeholder of the right type). The `data` graphql-js
// builds must equal Tandem's, key order included, and every error path it
// reports must be one of Tandem's; every other Tandem error must lie under a
// null graphql-js propagated. Prints one line per difference; exits 1 if any.
import { readFileSync } from 'node:fs';
import {
  buildSchema, execute, parse, getNamedType, getNullableType, isListType,
  isAbstractType, isEnumType, isObjectType, isLeafType,
} from 'graphql';

const input = JSON.parse(readFileSync(0, 'utf8'));
const schema = buildSchema(input.sdl);
let differences = 0;
let differing = 0;

const key = (path) => JSON.stringify(path);
const below = (inner, outer) =>
  inner.length > outer.length && outer.every((segment, i) => inner[i] === segment);

function pathOf(info) {
  const path = [];
  for (let p = info.path; p; p = p.prev) path.unshift(p.key);
  return path;
}

function at(data, path) {
  let value = data;
  for (const segment of path) {
    if (value === null || value === undefined) return undefined;
    value = value[segment];
  }
  return value;
}

// A value of `type` standing in for one Tandem never computed (its parent was
// nulled): lists are long enough to reach every error below them; an
// interface or union is the type the case names for that path (`types`, by path).
function placeholder(type, path, errorPaths, types) {
  const nullable = getNullableType(type);
  if (isListType(nullable)) {
    const lengths = errorPaths
      .filter((p) => below(p, path) && typeof p[path.length] === 'number')
      .map((p) => p[path.length] + 1);
    return Array.from({ length: Math.max(0, ...lengths) }, () => null).map((_, i) =>
      placeholder(nullable.ofType, [...path, i], errorPaths, types));
  }
  const named = getNamedType(type);
  if (isAbstractType(named)) {
    return { __typename: types[key(path)] ?? schema.getPossibleTypes(named)[0].name };
  }
  if (isObjectType(named)) return {};
  if (isEnumType(named)) return named.getValues()[0].value;
  return { Int: 0, Float: 0, Boolean: false }[named.name] ?? 'x';
}

for (const c of input.cases) {
  const actual = JSON.parse(c.responseText);
  const errorPaths = (actual.errors ?? []).filter((e) => e.path).map((e) => e.path);
  const failing = new Set(errorPaths.map(key));
  const fieldResolver = (_source, _args, _context, info) => {
    const path = pathOf(info);
    if (failing.has(key(path))) throw new Error(`failed as in Tandem at ${key(path)}`);
    const value = at(actual.data, path);
    const errorsBelow = errorPaths.some((p) => below(p, path));
    if (value !== undefined && (value !== null || !errorsBelow)) {
      // Objects are resolved field by field again, from their paths.
      if (value !== null && !isLeafType(getNamedType(info.returnType))) {
        return Array.isArray(value) ? value : { __typename: value.__typename };
      }
      return value;
    }
    return placeholder(info.returnType, path, errorPaths, c.types ?? {});
  };
  const typeResolver = (value, _context, info, abstractType) =>
    value?.__typename ?? schema.getPossibleTypes(abstractType)[0].name;
  const expected = execute({
    schema,
    document: parse(c.document),
    variableValues: c.variables ?? {},
    fieldResolver,
    typeResolver,
  });
  const before = differences;
  const report = (what) => {
    differences++;
    console.log(`${c.name}: ${what}`);
  };
  if (JSON.stringify(expected.data ?? null) !== JSON.stringify(actual.data ?? null)) {
    report(`data differs\n  graphql-js: ${JSON.stringify(expected.data)}\n  Tandem:     ${JSON.stringify(actual.data)}`);
  }
  const expectedPaths = (expected.errors ?? []).map((e) => e.path);
  for (const path of expectedPaths) {
    if (!path || !failing.has(key(path))) report(`graphql-js reports an error at ${key(path)} that Tandem does not: ${expected.errors.map((e) => e.message).join('; ')}`);
  }
  const reported = new Set(expectedPaths.map(key));
  for (const path of errorPaths) {
    if (reported.has(key(path))) continue;
    // Swallowed by a null above it in graphql-js's answer?
    const swallowed = path.some((_, i) => at(expected.data, path.slice(0, i)) === null)
      || expected.data === null;
    if (!swallowed) report(`Tandem reports an error at ${key(path)} that graphql-js does not`);
  }
  if (differences > before) differing++;
  else console.log(`${c.name}: same`);
}
console.log(`${input.cases.length - differing} cases the same, ${differing} different`);
process.exit(differences ? 1 : 0);
