//! Tandem's server: GraphQL over HTTP for a "1 gezin, 1 plan" youth-care network.
//!
//! The modules are layers, and dependencies point down (checked by
//! `api/tests/architecture.rs`):
//!
//! ```text
//! app -> tools -> domains -> {engine, audit -> auth} -> sync -> core -> {entity, matching}
//! ```
//!
//! - `app`: the composition root. `startup` (`Application::build(settings)`,
//!   the one seam `main` and the tests share; `assemble` builds the state,
//!   registers the change bus's handlers and the domains' answers to the
//!   layers below them), the transports and the one
//!   request pipeline every GraphQL request goes through, over HTTP
//!   (`/graphql`) or a WebSocket (`/graphql/ws`); `/`, `/healthz`, `/readyz`,
//!   `/metrics`; `guard` (the raw document and its budget before
//!   validation), `schema` (merged from one part per domain), `subscriptions`,
//!   `cli` (the `tandem` command line).
//! - `tools`: command-line jobs that call the domains' services: `import`
//!   (spreadsheets), `demo` (the demo Brussels network), `generate`
//!   (synthetic networks for benchmarks).
//! - The domains, one folder each, laid out alike where they have the
//!   parts: `mod.rs` (GraphQL types, thin resolvers), `service` (writes:
//!   parsed values in, finished through `sync::commit`), `queries` (reads),
//!   `inputs` (GraphQL input objects), `loaders`. They are `accounts`
//!   (users, `sessions`, `login` throttling, `users` management),
//!   `volunteers` (with `roster`: every volunteer in memory, the match
//!   index; `qualifications`: trainings, background check), `families`
//!   (with `register`: every family in memory; `prefetch`: a page's
//!   relations read with it; `lookups`: what other domains ask of a
//!   family), `services`, `plans` (thin resolvers in `mutations`, the
//!   services in `service`), `matches` (with `types`: the answers' GraphQL
//!   types; `reasons`: the engine's reasons in the request's locale),
//!   `follow_up` (with `cadence`: when check-ins fall due), `reporting`,
//!   `privacy` (the audit log read back, the right of access, `erasure`),
//!   `catalogue` (languages). Each
//!   implements `auth::Record` for its own types, next to them; another
//!   domain may use its GraphQL types and its `loaders`, never its services
//!   or queries.
//! - `engine`: rows to the matching crate's profiles, `day_of`, today's
//!   policy, the statuses and the groups of them (`LOAD_STATES`,
//!   `HELPING_STATES`), and the `Pool` of volunteers matching ranks against
//!   (the roster answers it). Rows hold the `entity::vocabulary` enums; each
//!   GraphQL enum converts to and from its entity enum (`remote`, or
//!   `core::values::stored_as!` where the matching crate's is its remote).
//! - `audit`: the audit trail of family data, noted where it is read and
//!   written by the group-committing `AuditWriter`.
//! - `auth`: who acts (`Role`, `Viewer`; `Actor`, the one shape services,
//!   the audit writer and erasure take: a signed-in viewer, a command-line
//!   seed or a job such as retention; `ViewerExt` for a resolver's viewer),
//!   the access policy table and its one enforcement point, what a viewer is
//!   to a record (asked of the domains through `VolunteerLinks` and
//!   `FollowedFamilies`, which the roster and the register answer), and
//!   `revocation` (accounts switched off, sessions ended).
//! - `sync`: `Change`, `commit` (the one way a write finishes), the change
//!   bus with its handlers, `ReadModel` (in-memory records kept current and
//!   trusted only while they can be vouched for: the roster, the register),
//!   and the follower of the other replicas' writes (PostgreSQL LISTEN/NOTIFY
//!   or the SQLite change log).
//! - `core`: the error type, settings, the database, global IDs and
//!   connections (`relay`, with `ids`: global IDs and `NodeKind`), `paging`, shared `values` (with `text`: every text input's hygiene;
//!   `places`; `week`), `locale` (the
//!   request's language and the Fluent message catalogues), `metrics`,
//!   DataLoader helpers, `reads` (the families a request read, noted for
//!   the audit) and the application state with its parts.
//!
//! Outside the crate: `Application`, `Settings` and `export_sdl`, the
//! `cli` for `main`, and the few items the black-box tests use.

mod accounts;
mod app;
mod audit;
mod auth;
mod catalogue;
mod core;
mod engine;
mod families;
mod follow_up;
mod matches;
mod plans;
mod privacy;
mod reporting;
mod services;
mod sync;
mod tools;
mod volunteers;

pub use accounts::{NewUser, create_user};
pub use app::{cli, schema::export_sdl, startup::Application};
pub use audit::AuditWriter;
pub use auth::{Access, Role, policy};
pub use core::{
    config::{self, Settings},
    db,
    locale::Locale,
    metrics::Metrics,
    relay::{global_id, parse_global_id},
};
