// PostGraphile 5 peer for the Tandem benchmark: stock Amber preset, one
// pool sized like Tandem's, production settings (no watch, no explain,
// no GraphiQL).
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";
import { makePgService } from "postgraphile/adaptors/pg";

const connectionString = process.env.BENCH_DATABASE_URL;
if (!connectionString) {
  throw new Error("BENCH_DATABASE_URL is not set");
}
const poolSize = Number(process.env.BENCH_POOL_SIZE ?? 10);
const port = Number(process.env.BENCH_PGL_PORT ?? 5678);

/** @type {GraphileConfig.Preset} */
export default {
  extends: [PostGraphileAmberPreset],
  pgServices: [
    makePgService({
      connectionString,
      schemas: ["public"],
      poolConfig: { max: poolSize },
    }),
  ],
  grafserv: {
    host: "127.0.0.1",
    port,
    graphqlPath: "/graphql",
    graphiql: false,
    graphiqlOnGraphQLGET: false,
    watch: false,
    websockets: false,
  },
  grafast: {
    explain: false,
  },
};
