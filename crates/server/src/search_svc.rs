//! Full-text search kept in step with the store. The index records the audit mark it reflects;
//! before any answer the service brings it up to the audit head: the records the log shows
//! changed since the mark are re-read and replaced, or, when the mark does not belong to this
//! database's chain (a new database, a lost or foreign index) or too much changed, the index
//! is rebuilt from the tables. A crash between a write and its indexing therefore leaves the
//! index behind, and the next question catches it up: never silently stale.

use crate::error::{ApiError, ApiResult};
use kechuang_domain::search::{SearchKind, caller_terms};
use kechuang_search::{SearchError, SearchIndex};
use kechuang_store::Store;
use kechuang_store::accounts::User;
use std::path::Path;
use std::time::{Duration, Instant};

/// Above this many changed records a rebuild is cheaper than replaying them.
const REPLAY_LIMIT: usize = 50_000;
/// Keyset page of a rebuild.
const PAGE: u64 = 5_000;

impl From<SearchError> for ApiError {
    fn from(e: SearchError) -> Self {
        tracing::error!(error = %e, "search index");
        ApiError::new(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            "search.unavailable",
            "全文检索暂不可用，请稍后重试",
        )
    }
}

/// What a catch-up did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CatchUp {
    Fresh,
    Replayed { records: usize },
    Rebuilt { documents: usize },
}

pub struct Search {
    index: SearchIndex,
    /// One catch-up at a time; searches wait for it so that they answer from a fresh index.
    sync: tokio::sync::Mutex<()>,
}

impl Search {
    /// The index in `dir`, or in memory without one (rebuilt on first use).
    pub fn open(dir: Option<&Path>) -> Result<Self, SearchError> {
        let index = match dir {
            Some(d) => SearchIndex::open(d)?,
            None => SearchIndex::in_memory()?,
        };
        Ok(Self {
            index,
            sync: tokio::sync::Mutex::new(()),
        })
    }

    pub fn index(&self) -> &SearchIndex {
        &self.index
    }

    /// Brings the index up to the audit head.
    pub async fn catch_up(&self, store: &Store) -> ApiResult<CatchUp> {
        if self.index.covered() == store.audit_mark().await? {
            return Ok(CatchUp::Fresh);
        }
        let _g = self.sync.lock().await;
        let head = store.audit_mark().await?;
        let covered = self.index.covered();
        if covered == head {
            return Ok(CatchUp::Fresh);
        }
        if covered.seq == 0 || covered.seq > head.seq || !store.audit_mark_holds(&covered).await? {
            return self.rebuild_locked(store).await;
        }
        let changes = store.search_changes(covered.seq, head.seq).await?;
        if changes.keys.len() > REPLAY_LIMIT {
            return self.rebuild_locked(store).await;
        }
        let (docs, gone) = store.search_docs(&changes).await?;
        self.index.apply(&docs, &gone, &head)?;
        Ok(CatchUp::Replayed {
            records: docs.len() + gone.len(),
        })
    }

    /// Rebuilds the whole index from the tables; returns the documents and the time taken.
    pub async fn reindex(&self, store: &Store) -> ApiResult<(usize, Duration)> {
        let _g = self.sync.lock().await;
        let t = Instant::now();
        match self.rebuild_locked(store).await? {
            CatchUp::Rebuilt { documents } => Ok((documents, t.elapsed())),
            _ => Ok((0, t.elapsed())),
        }
    }

    async fn rebuild_locked(&self, store: &Store) -> ApiResult<CatchUp> {
        // The mark is read first: writes landing during the rebuild are replayed next time
        // (re-indexing a record twice is harmless).
        let head = store.audit_mark().await?;
        let mut r = self.index.rebuild()?;
        for kind in SearchKind::ALL {
            let mut after = 0;
            loop {
                let docs = store.search_docs_of(*kind, None, after, PAGE).await?;
                let Some(last) = docs.last() else { break };
                after = last.id;
                r.add(&docs)?;
                if (docs.len() as u64) < PAGE {
                    break;
                }
            }
        }
        let documents = r.finish(&head)?;
        tracing::info!(documents, seq = head.seq, "search index rebuilt");
        Ok(CatchUp::Rebuilt { documents })
    }

    /// The kinds this user may search.
    pub fn kinds_for(user: &User) -> Vec<SearchKind> {
        SearchKind::ALL
            .iter()
            .copied()
            .filter(|k| user.has_permission(k.permission()))
            .collect()
    }

    /// For a registry list's `q=`: the ids of one kind the search finds in the user's scope,
    /// or `None` (no text: the list is not text-filtered).
    pub async fn ids(
        &self,
        store: &Store,
        user: &User,
        kind: SearchKind,
        text: Option<&str>,
    ) -> ApiResult<Option<Vec<i64>>> {
        let Some(t) = text.map(str::trim).filter(|s| !s.is_empty()) else {
            return Ok(None);
        };
        self.catch_up(store).await?;
        Ok(Some(self.index.ids(
            kind,
            t,
            caller_terms(&user.scope()),
        )?))
    }

    /// [`Search::ids`] for a list, which falls back to its `LIKE` (`None`) when the index
    /// fails: a list keeps working without the index, only slower and without word cutting.
    pub async fn list_ids(
        &self,
        store: &Store,
        user: &User,
        kind: SearchKind,
        text: Option<&str>,
    ) -> Option<Vec<i64>> {
        match self.ids(store, user, kind, text).await {
            Ok(ids) => ids,
            Err(e) => {
                tracing::warn!(code = %e.body.code, "search unavailable, list falls back to LIKE");
                None
            }
        }
    }
}
