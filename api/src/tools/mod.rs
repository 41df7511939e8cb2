//! Jobs of the command line that are not the server: `import` of
//! spreadsheets, the `demo` network and `generate`d networks for benchmarks.
//! They call the domains' services, never their resolvers.

pub mod demo;
pub mod generate;
pub mod import;
