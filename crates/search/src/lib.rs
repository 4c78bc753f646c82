//! Chinese full-text search: a tantivy index whose text fields are cut by jieba (search mode,
//! so `新材料` is also found by `材料`), one document per [`SearchDoc`].
//!
//! The index knows nothing of the database. It records, in each commit's payload, the audit
//! sequence number up to which it reflects the store ([`SearchIndex::covered_seq`]); the server
//! brings it up to the audit head before answering, so a crash between a write and its
//! indexing leaves the index behind, never silently stale.
//!
//! Visibility is decided inside the query: every document is filed under its scope terms
//! ([`SearchDoc::scope_terms`]) and a query for a scoped caller must match one of the caller's
//! terms ([`caller_terms`](kechuang_domain::search::caller_terms)), the same predicate as the
//! store's SQL scope filter.

use kechuang_domain::search::{FACETS, Mark, SearchDoc, SearchKind, doc_key};
use std::path::Path;
use std::sync::Mutex;
use tantivy::collector::{Count, FacetCollector, TopDocs};
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{
    FAST, Facet, FacetOptions, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema,
    TextFieldIndexing, TextOptions, Value,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::{LowerCaser, TextAnalyzer, TokenStream};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};
use tantivy_jieba::JiebaTokenizer;

/// Bumped whenever the schema or the analysis changes; an index of another version is
/// rebuilt.
const VERSION: &str = "kechuang-search/2";
const TOKENIZER: &str = "jieba";
/// The writer's memory budget: above tantivy's 15 MB floor, small enough for a 2-core box.
const WRITER_BYTES: usize = 64_000_000;
/// A bound on how many ids a registry list may ask for.
pub const MAX_IDS: usize = 2_000;

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("全文索引出错：{0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("全文索引目录不可用：{0}")]
    Dir(String),
}

pub type SearchResult<T> = Result<T, SearchError>;

#[derive(Clone, Copy)]
struct Fields {
    key: Field,
    kind: Field,
    id: Field,
    title: Field,
    body: Field,
    codes: Field,
    scope: Field,
    facets: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = |stored: bool| {
        let o = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(TOKENIZER)
                .set_index_option(IndexRecordOption::WithFreqs),
        );
        if stored { o.set_stored() } else { o }
    };
    let f = Fields {
        key: b.add_text_field("key", STRING),
        kind: b.add_text_field("kind", STRING | STORED),
        id: b.add_i64_field("id", INDEXED | STORED | FAST),
        title: b.add_text_field("title", text(true)),
        body: b.add_text_field("body", text(true)),
        codes: b.add_text_field("codes", STRING),
        scope: b.add_text_field("scope", STRING),
        facets: b.add_facet_field("facets", FacetOptions::default()),
    };
    (b.build(), f)
}

fn register_tokenizer(index: &Index) {
    index.tokenizers().register(
        TOKENIZER,
        TextAnalyzer::builder(JiebaTokenizer::new())
            .filter(LowerCaser)
            .build(),
    );
}

/// What a query asks for.
#[derive(Debug, Clone, Default)]
pub struct SearchQuery {
    pub text: String,
    /// The kinds searched: what the caller asked for, already cut to what it may read.
    pub kinds: Vec<SearchKind>,
    /// The caller's scope terms ([`kechuang_domain::search::caller_terms`]); `None` sees all.
    pub scope_terms: Option<Vec<String>>,
    /// `(facet, value)` filters, ANDed.
    pub filters: Vec<(String, String)>,
    pub offset: usize,
    pub limit: usize,
    /// Count the facets of every hit.
    pub facets: bool,
    /// Cut a highlighted snippet per returned hit.
    pub snippets: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub kind: SearchKind,
    pub id: i64,
    pub title: String,
    /// HTML-escaped text with the matched words in `<em>`.
    pub snippet: String,
    pub score: f32,
}

/// A record related to a set of words (a demand's keywords …), with the words it contains.
#[derive(Debug, Clone, PartialEq)]
pub struct Related {
    pub kind: SearchKind,
    pub id: i64,
    pub title: String,
    pub score: f32,
    /// The words found in its title or text, in the order given.
    pub matched: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacetCount {
    pub facet: String,
    pub value: String,
    pub count: u64,
}

#[derive(Debug, Clone, Default)]
pub struct Found {
    pub total: usize,
    pub hits: Vec<Hit>,
    pub facets: Vec<FacetCount>,
}

pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    f: Fields,
    /// The mark of the last commit, kept here so that a freshness check reads no file.
    covered: Mutex<Mark>,
}

/// The words of a query: jieba's ordinary cut, keeping only tokens with a letter, digit or
/// CJK character (punctuation would make every AND fail).
pub fn query_words(text: &str) -> Vec<String> {
    let mut analyzer = TextAnalyzer::builder(JiebaTokenizer::with_search_mode(false))
        .filter(LowerCaser)
        .build();
    let mut out: Vec<String> = Vec::new();
    let mut ts = analyzer.token_stream(text);
    while ts.advance() {
        let t = ts.token().text.trim().to_owned();
        if t.chars().any(char::is_alphanumeric) && !out.contains(&t) {
            out.push(t);
        }
    }
    out
}

impl SearchIndex {
    /// Opens the index in `dir`, creating it when missing; an index of another version, or
    /// one that cannot be opened, is replaced by an empty one (it is rebuilt from the store).
    pub fn open(dir: &Path) -> SearchResult<Self> {
        std::fs::create_dir_all(dir)
            .map_err(|e| SearchError::Dir(format!("{}: {e}", dir.display())))?;
        let (schema, f) = schema();
        let reuse = Index::open_in_dir(dir).ok().filter(|i| {
            i.load_metas()
                .ok()
                .and_then(|m| m.payload)
                .is_some_and(|p| p.starts_with(&format!("{VERSION} ")))
                && i.schema() == schema
        });
        let index = match reuse {
            Some(i) => i,
            None => {
                for e in std::fs::read_dir(dir).map_err(|e| SearchError::Dir(e.to_string()))? {
                    let p = e.map_err(|e| SearchError::Dir(e.to_string()))?.path();
                    let r = if p.is_dir() {
                        std::fs::remove_dir_all(&p)
                    } else {
                        std::fs::remove_file(&p)
                    };
                    r.map_err(|e| SearchError::Dir(format!("{}: {e}", p.display())))?;
                }
                Index::create_in_dir(dir, schema)?
            }
        };
        Self::with(index, f)
    }

    /// An index in memory (tests, and a server started without a data directory).
    pub fn in_memory() -> SearchResult<Self> {
        let (schema, f) = schema();
        Self::with(Index::create_in_ram(schema), f)
    }

    fn with(index: Index, f: Fields) -> SearchResult<Self> {
        register_tokenizer(&index);
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let covered = parse_mark(&index.load_metas()?.payload.unwrap_or_default());
        Ok(Self {
            index,
            reader,
            f,
            covered: Mutex::new(covered),
        })
    }

    /// The audit mark the index reflects (sequence 0: nothing yet).
    pub fn covered(&self) -> Mark {
        self.covered
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    pub fn covered_seq(&self) -> SearchResult<i64> {
        Ok(self.covered().seq)
    }

    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// The index's one writer: tantivy refuses a second one (in this process or another)
    /// with `LockBusy`, which is what serializes writes.
    fn writer(&self) -> SearchResult<IndexWriter> {
        Ok(self.index.writer_with_num_threads(1, WRITER_BYTES)?)
    }

    fn to_doc(&self, d: &SearchDoc) -> TantivyDocument {
        let f = self.f;
        let mut doc = TantivyDocument::default();
        doc.add_text(f.key, d.key());
        doc.add_text(f.kind, d.kind.as_str());
        doc.add_i64(f.id, d.id);
        doc.add_text(f.title, &d.title);
        doc.add_text(f.body, &d.body);
        for c in &d.codes {
            doc.add_text(f.codes, c.to_lowercase());
        }
        for s in d.scope_terms() {
            doc.add_text(f.scope, s);
        }
        doc.add_facet(f.facets, Facet::from_path(["kind", d.kind.as_str()]));
        for (name, value) in &d.facets {
            if !value.is_empty() {
                doc.add_facet(f.facets, Facet::from_path([*name, value.as_str()]));
            }
        }
        doc
    }

    fn commit(&self, mut w: IndexWriter, mark: &Mark) -> SearchResult<()> {
        let mut c = w.prepare_commit()?;
        c.set_payload(&payload(mark));
        c.commit()?;
        w.wait_merging_threads()?;
        self.reader.reload()?;
        *self.covered.lock().unwrap_or_else(|p| p.into_inner()) = mark.clone();
        Ok(())
    }

    /// Replaces these documents and removes those keys, then records `seq` as covered, in
    /// one commit.
    pub fn apply(
        &self,
        upserts: &[SearchDoc],
        deletes: &[(SearchKind, i64)],
        mark: &Mark,
    ) -> SearchResult<()> {
        let w = self.writer()?;
        for (k, id) in deletes {
            w.delete_term(Term::from_field_text(self.f.key, &doc_key(*k, *id)));
        }
        for d in upserts {
            w.delete_term(Term::from_field_text(self.f.key, &d.key()));
            w.add_document(self.to_doc(d))?;
        }
        self.commit(w, mark)
    }

    /// Starts a full rebuild: every document is removed when it is finished.
    pub fn rebuild(&self) -> SearchResult<Rebuild<'_>> {
        let w = self.writer()?;
        // No background merges while rebuilding: `finish` merges everything once, and a merge
        // the policy started would hold segments that one needs.
        w.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
        w.delete_all_documents()?;
        Ok(Rebuild {
            index: self,
            w,
            n: 0,
        })
    }

    fn words_query(&self, words: &[String]) -> Option<Box<dyn Query>> {
        if words.is_empty() {
            return None;
        }
        let f = self.f;
        let musts: Vec<(Occur, Box<dyn Query>)> = words
            .iter()
            .map(|w| {
                let term = |field: Field, v: &str| -> Box<dyn Query> {
                    Box::new(TermQuery::new(
                        Term::from_field_text(field, v),
                        IndexRecordOption::WithFreqs,
                    ))
                };
                let any: Vec<(Occur, Box<dyn Query>)> = vec![
                    (
                        Occur::Should,
                        Box::new(BoostQuery::new(term(f.title, w), 3.0)),
                    ),
                    (Occur::Should, term(f.body, w)),
                    (
                        Occur::Should,
                        Box::new(BoostQuery::new(term(f.codes, w), 5.0)),
                    ),
                ];
                (
                    Occur::Must,
                    Box::new(BooleanQuery::new(any)) as Box<dyn Query>,
                )
            })
            .collect();
        Some(Box::new(BooleanQuery::new(musts)))
    }

    fn filter_query(&self, q: &SearchQuery) -> Vec<(Occur, Box<dyn Query>)> {
        let f = self.f;
        let basic =
            |t: Term| -> Box<dyn Query> { Box::new(TermQuery::new(t, IndexRecordOption::Basic)) };
        let any_of = |terms: Vec<Term>| -> Box<dyn Query> {
            Box::new(BooleanQuery::new(
                terms
                    .into_iter()
                    .map(|t| (Occur::Should, basic(t)))
                    .collect(),
            ))
        };
        let mut out: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        // Every kind asked for: no clause (a union over every document costs the most).
        if !SearchKind::ALL.iter().all(|k| q.kinds.contains(k)) {
            out.push((
                Occur::Must,
                any_of(
                    q.kinds
                        .iter()
                        .map(|k| {
                            Term::from_facet(f.facets, &Facet::from_path(["kind", k.as_str()]))
                        })
                        .collect(),
                ),
            ));
        }
        if let Some(terms) = &q.scope_terms {
            out.push((
                Occur::Must,
                any_of(
                    terms
                        .iter()
                        .map(|t| Term::from_field_text(f.scope, t))
                        .collect(),
                ),
            ));
        }
        for (name, value) in &q.filters {
            out.push((
                Occur::Must,
                basic(Term::from_facet(
                    f.facets,
                    &Facet::from_path([name.as_str(), value.as_str()]),
                )),
            ));
        }
        out
    }

    /// Runs a query. Empty text lists every visible document (newest id first is not
    /// promised; all score equal).
    pub fn search(&self, q: &SearchQuery) -> SearchResult<Found> {
        if q.kinds.is_empty() {
            return Ok(Found::default());
        }
        let searcher = self.reader.searcher();
        let words = query_words(&q.text);
        let text = self.words_query(&words);
        let mut clauses = self.filter_query(q);
        if let Some(t) = &text {
            clauses.push((Occur::Must, t.box_clone()));
        }
        let query = BooleanQuery::new(clauses);
        let limit = q.limit.max(1);
        let mut fc = FacetCollector::for_field("facets");
        for name in FACETS {
            fc.add_facet(Facet::from_path([*name]));
        }
        let top = TopDocs::with_limit(limit)
            .and_offset(q.offset)
            .order_by_score();
        let (docs, total, counts) = if q.facets {
            let (d, t, c) = searcher.search(&query, &(top, Count, fc))?;
            (d, t, Some(c))
        } else {
            let (d, t) = searcher.search(&query, &(top, Count))?;
            (d, t, None)
        };
        let mut gen_body = None;
        let mut gen_title = None;
        if q.snippets
            && let Some(t) = &text
        {
            let mut g = SnippetGenerator::create(&searcher, t.as_ref(), self.f.body)?;
            g.set_max_num_chars(120);
            gen_body = Some(g);
            gen_title = Some(SnippetGenerator::create(
                &searcher,
                t.as_ref(),
                self.f.title,
            )?);
        }
        let mut hits = Vec::with_capacity(docs.len());
        for (score, addr) in docs {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let text_of = |field: Field| stored_text(&doc, field);
            let Ok(kind) = SearchKind::parse(&text_of(self.f.kind)) else {
                continue;
            };
            let id = doc
                .get_first(self.f.id)
                .and_then(|v| v.as_i64())
                .unwrap_or(0);
            let title = text_of(self.f.title);
            let snippet = match (&gen_body, &gen_title) {
                (Some(b), Some(t)) => {
                    let mut s = b.snippet_from_doc(&doc);
                    if s.is_empty() {
                        s = t.snippet_from_doc(&doc);
                    }
                    s.set_snippet_prefix_postfix("<em>", "</em>");
                    if s.is_empty() {
                        escape(&first_chars(&text_of(self.f.body), 120))
                    } else {
                        s.to_html()
                    }
                }
                _ => escape(&first_chars(&text_of(self.f.body), 120)),
            };
            hits.push(Hit {
                kind,
                id,
                title,
                snippet,
                score,
            });
        }
        let mut facets = Vec::new();
        if let Some(c) = counts {
            for name in FACETS {
                for (facet, count) in c.get(Facet::from_path([*name])) {
                    let path = facet.to_path();
                    if let Some(v) = path.get(1) {
                        facets.push(FacetCount {
                            facet: (*name).to_owned(),
                            value: (*v).to_owned(),
                            count,
                        });
                    }
                }
            }
        }
        Ok(Found {
            total,
            hits,
            facets,
        })
    }

    /// Records of these kinds containing any of `words` (more, and rarer, words rank higher),
    /// within the scope and the facet filters; each with the words it contains.
    pub fn related(
        &self,
        kinds: &[SearchKind],
        words: &[String],
        scope_terms: Option<Vec<String>>,
        filters: Vec<(String, String)>,
        limit: usize,
    ) -> SearchResult<Vec<Related>> {
        let words: Vec<String> = words
            .iter()
            .map(|w| w.trim().to_lowercase())
            .filter(|w| w.chars().count() >= 2)
            .collect();
        if words.is_empty() || kinds.is_empty() {
            return Ok(Vec::new());
        }
        let f = self.f;
        let any: Vec<(Occur, Box<dyn Query>)> = words
            .iter()
            .flat_map(|w| {
                [
                    (
                        Occur::Should,
                        Box::new(BoostQuery::new(
                            Box::new(TermQuery::new(
                                Term::from_field_text(f.title, w),
                                IndexRecordOption::WithFreqs,
                            )),
                            2.0,
                        )) as Box<dyn Query>,
                    ),
                    (
                        Occur::Should,
                        Box::new(TermQuery::new(
                            Term::from_field_text(f.body, w),
                            IndexRecordOption::WithFreqs,
                        )) as Box<dyn Query>,
                    ),
                ]
            })
            .collect();
        let q = SearchQuery {
            kinds: kinds.to_vec(),
            scope_terms,
            filters,
            ..Default::default()
        };
        let mut clauses = self.filter_query(&q);
        clauses.push((Occur::Must, Box::new(BooleanQuery::new(any))));
        let searcher = self.reader.searcher();
        let docs = searcher.search(
            &BooleanQuery::new(clauses),
            &TopDocs::with_limit(limit.max(1)).order_by_score(),
        )?;
        let mut out = Vec::with_capacity(docs.len());
        for (score, addr) in docs {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let text_of = |field: Field| stored_text(&doc, field);
            let Ok(kind) = SearchKind::parse(&text_of(f.kind)) else {
                continue;
            };
            let title = text_of(f.title);
            let all = format!("{title} {}", text_of(f.body)).to_lowercase();
            let found: Vec<&String> = words
                .iter()
                .filter(|w| all.contains(String::as_str(w)))
                .collect();
            // 冶炼 says nothing more once 铅冶炼 is named.
            let matched = found
                .iter()
                .filter(|w| {
                    !found
                        .iter()
                        .any(|o| o.len() > w.len() && o.contains(String::as_str(w)))
                })
                .map(|w| (*w).clone())
                .collect();
            out.push(Related {
                kind,
                id: doc.get_first(f.id).and_then(|v| v.as_i64()).unwrap_or(0),
                matched,
                title,
                score,
            });
        }
        Ok(out)
    }

    /// The ids of one kind matching `text` within the scope, best first, at most
    /// [`MAX_IDS`]; for the registry lists' `q=`.
    pub fn ids(
        &self,
        kind: SearchKind,
        text: &str,
        scope_terms: Option<Vec<String>>,
    ) -> SearchResult<Vec<i64>> {
        let words = query_words(text);
        let Some(tq) = self.words_query(&words) else {
            return Ok(Vec::new());
        };
        let q = SearchQuery {
            kinds: vec![kind],
            scope_terms,
            ..Default::default()
        };
        let mut clauses = self.filter_query(&q);
        clauses.push((Occur::Must, tq));
        let searcher = self.reader.searcher();
        let docs = searcher.search(
            &BooleanQuery::new(clauses),
            &TopDocs::with_limit(MAX_IDS).order_by_score(),
        )?;
        let mut columns = std::collections::HashMap::new();
        let mut out = Vec::with_capacity(docs.len());
        for (_, addr) in docs {
            let col = match columns.entry(addr.segment_ord) {
                std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::hash_map::Entry::Vacant(v) => v.insert(
                    searcher
                        .segment_reader(addr.segment_ord)
                        .fast_fields()
                        .i64("id")?,
                ),
            };
            if let Some(id) = col.first(addr.doc_id) {
                out.push(id);
            }
        }
        Ok(out)
    }
}

/// A full rebuild in progress; [`Rebuild::finish`] commits it.
pub struct Rebuild<'a> {
    index: &'a SearchIndex,
    w: IndexWriter,
    n: usize,
}

impl Rebuild<'_> {
    pub fn add(&mut self, docs: &[SearchDoc]) -> SearchResult<()> {
        for d in docs {
            self.w.add_document(self.index.to_doc(d))?;
            self.n += 1;
        }
        Ok(())
    }

    /// Commits, recording `mark` as covered, and merges the rebuilt index into one segment
    /// (per-segment work is a large part of a query's cost: on 10^6 documents the writer
    /// leaves dozens); returns the number of documents.
    pub fn finish(self, mark: &Mark) -> SearchResult<usize> {
        let Rebuild { index, mut w, n } = self;
        let mut c = w.prepare_commit()?;
        c.set_payload(&payload(mark));
        c.commit()?;
        let segments = index.index.searchable_segment_ids()?;
        if segments.len() > 1 {
            // The merge only makes queries faster: the committed index is complete without
            // it, so a failed merge leaves a slower index, not a wrong one.
            let _ = w.merge(&segments).wait();
        }
        w.wait_merging_threads()?;
        index.reader.reload()?;
        *index.covered.lock().unwrap_or_else(|p| p.into_inner()) = mark.clone();
        Ok(n)
    }
}

fn stored_text(doc: &TantivyDocument, field: Field) -> String {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_owned()
}

fn payload(mark: &Mark) -> String {
    format!("{VERSION} seq={} hash={}", mark.seq, mark.hash)
}

fn parse_mark(payload: &str) -> Mark {
    let Some(rest) = payload.strip_prefix(VERSION) else {
        return Mark::default();
    };
    let mut m = Mark::default();
    for part in rest.split_whitespace() {
        if let Some(v) = part.strip_prefix("seq=") {
            m.seq = v.parse().unwrap_or(0);
        } else if let Some(v) = part.strip_prefix("hash=") {
            m.hash = v.to_owned();
        }
    }
    m
}

fn first_chars(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests;
