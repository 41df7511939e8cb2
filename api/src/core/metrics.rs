//! Prometheus metrics for `GET /metrics`: requests and latency per operation,
//! errors per code, match-ranking latency, index size, database pool use,
//! SQL statements and the wait for audit entries to be committed.

use std::{collections::HashSet, sync::Mutex, time::Duration};

use prometheus::{
    Encoder, Histogram, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGauge,
    IntGaugeVec, Opts, Registry, TextEncoder,
};
use sea_orm::{DatabaseConnection, DbBackend};

use crate::core::db::StatementCounter;

/// The most distinct operation names kept as labels; later ones count as "other".
const MAX_OPERATIONS: usize = 200;

/// Every metric of the server.
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
    errors: IntCounterVec,
    /// Time to rank the volunteers for one family.
    pub ranking: Histogram,
    rankings: IntCounterVec,
    index_size: IntGauge,
    register_size: IntGauge,
    pool: IntGaugeVec,
    statements: IntGauge,
    /// Time a request waited for its audit entries to be committed.
    pub audit_wait: Histogram,
    /// Transactions the audit writer committed (each holds many requests' entries).
    pub audit_commits: IntCounter,
    operations: Mutex<HashSet<String>>,
}

fn buckets() -> Vec<f64> {
    vec![
        0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
    ]
}

/// Makes metrics and registers each with the registry.
struct Register(Registry);

impl Register {
    fn add<M: prometheus::core::Collector + Clone + 'static>(
        &self,
        metric: Result<M, prometheus::Error>,
    ) -> Result<M, prometheus::Error> {
        let metric = metric?;
        self.0.register(Box::new(metric.clone()))?;
        Ok(metric)
    }

    fn counter(&self, name: &str, help: &str) -> Result<IntCounter, prometheus::Error> {
        self.add(IntCounter::new(name, help))
    }

    fn counters(
        &self,
        name: &str,
        help: &str,
        label: &str,
    ) -> Result<IntCounterVec, prometheus::Error> {
        self.add(IntCounterVec::new(Opts::new(name, help), &[label]))
    }

    fn gauge(&self, name: &str, help: &str) -> Result<IntGauge, prometheus::Error> {
        self.add(IntGauge::new(name, help))
    }

    fn histogram(
        &self,
        name: &str,
        help: &str,
        buckets: Vec<f64>,
    ) -> Result<Histogram, prometheus::Error> {
        self.add(Histogram::with_opts(
            HistogramOpts::new(name, help).buckets(buckets),
        ))
    }
}

impl Metrics {
    /// Registers every metric.
    pub fn new() -> Result<Metrics, prometheus::Error> {
        let r = Register(Registry::new_custom(Some("tandem".into()), None)?);
        let requests = r.counters(
            "graphql_requests_total",
            "GraphQL requests by operation name",
            "operation",
        )?;
        let latency = r.add(HistogramVec::new(
            HistogramOpts::new(
                "graphql_request_duration_seconds",
                "GraphQL request latency by operation name",
            )
            .buckets(buckets()),
            &["operation"],
        ))?;
        let errors = r.counters(
            "graphql_errors_total",
            "GraphQL errors by extensions.code",
            "code",
        )?;
        let ranking = r.histogram(
            "match_ranking_duration_seconds",
            "Time to rank the volunteers for one family",
            vec![
                0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05,
            ],
        )?;
        let index_size = r.gauge(
            "match_index_volunteers",
            "Volunteers in the in-memory match index",
        )?;
        let rankings = r.counters(
            "match_rankings_total",
            "Rankings answered, by source: kept (nothing they depend on changed since an earlier request) or computed",
            "source",
        )?;
        let register_size = r.gauge(
            "family_register_families",
            "Families in the in-memory register (0 while it is not trusted and reads go to the database)",
        )?;
        let pool = r.add(IntGaugeVec::new(
            Opts::new("db_pool_connections", "Database pool connections by state"),
            &["state"],
        ))?;
        let statements = r.gauge("sql_statements_total", "SQL statements run since start")?;
        let audit_wait = r.histogram(
            "audit_write_duration_seconds",
            "Time a request that read personal data waited for its audit entries to be committed (queue and group commit), before it was answered",
            vec![
                0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0,
            ],
        )?;
        let audit_commits = r.counter(
            "audit_commits_total",
            "Transactions in which the audit writer committed the READ entries of waiting requests",
        )?;
        let registry = r.0;
        Ok(Metrics {
            registry,
            requests,
            latency,
            errors,
            ranking,
            rankings,
            index_size,
            register_size,
            pool,
            statements,
            audit_wait,
            audit_commits,
            operations: Mutex::new(HashSet::new()),
        })
    }

    fn label(&self, operation: Option<&str>) -> String {
        let name = match operation {
            Some(n)
                if !n.is_empty()
                    && n.len() <= 64
                    && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') =>
            {
                n
            }
            _ => return "anonymous".to_owned(),
        };
        match self.operations.lock() {
            Ok(mut seen) if seen.contains(name) || seen.len() < MAX_OPERATIONS => {
                seen.insert(name.to_owned());
                name.to_owned()
            }
            _ => "other".to_owned(),
        }
    }

    /// Records one GraphQL request.
    pub fn observe_request(
        &self,
        operation: Option<&str>,
        elapsed: Duration,
        error_codes: &[&str],
    ) {
        let label = self.label(operation);
        self.requests.with_label_values(&[label.as_str()]).inc();
        self.latency
            .with_label_values(&[label.as_str()])
            .observe(elapsed.as_secs_f64());
        for code in error_codes {
            self.errors.with_label_values(&[code]).inc();
        }
    }

    /// Counts one ranking by where it came from.
    pub fn ranked(&self, source: Ranked) {
        let label = match source {
            Ranked::Kept => "kept",
            Ranked::Computed => "computed",
        };
        self.rankings.with_label_values(&[label]).inc();
    }

    /// The Prometheus text exposition, with the gauges read now.
    pub fn render(
        &self,
        db: &DatabaseConnection,
        index_size: usize,
        register_size: usize,
        statements: &StatementCounter,
    ) -> String {
        self.index_size
            .set(i64::try_from(index_size).unwrap_or(i64::MAX));
        self.register_size
            .set(i64::try_from(register_size).unwrap_or(i64::MAX));
        self.statements
            .set(i64::try_from(statements.get()).unwrap_or(i64::MAX));
        let (size, idle) = match db.get_database_backend() {
            DbBackend::Postgres => {
                let pool = db.get_postgres_connection_pool();
                (pool.size(), pool.num_idle())
            }
            _ => {
                let pool = db.get_sqlite_connection_pool();
                (pool.size(), pool.num_idle())
            }
        };
        self.pool
            .with_label_values(&["idle"])
            .set(i64::try_from(idle).unwrap_or(0));
        self.pool
            .with_label_values(&["in_use"])
            .set(i64::from(size).saturating_sub(i64::try_from(idle).unwrap_or(0)));
        let mut out = Vec::new();
        if TextEncoder::new()
            .encode(&self.registry.gather(), &mut out)
            .is_err()
        {
            return String::new();
        }
        String::from_utf8(out).unwrap_or_default()
    }
}

/// Where a ranking came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ranked {
    /// Kept from an earlier request (nothing it depends on changed since).
    Kept,
    /// Ranked from the index for this request.
    Computed,
}
