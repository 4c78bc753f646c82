use super::*;
use kechuang_domain::DataScope;
use kechuang_domain::search::caller_terms;

fn org(id: i64, name: &str, path: &str, code: &str) -> SearchDoc {
    SearchDoc {
        kind: SearchKind::Organization,
        id,
        title: name.to_owned(),
        body: "单位类型：企业".to_owned(),
        codes: vec![code.to_owned()],
        region_path: Some(path.to_owned()),
        org_id: Some(id),
        owner_user_id: None,
        public: false,
        facets: vec![(
            "region",
            path.trim_end_matches('/')
                .rsplit('/')
                .next()
                .unwrap_or("")
                .to_owned(),
        )],
    }
}

fn achievement(
    id: i64,
    title: &str,
    summary: &str,
    path: &str,
    public: bool,
    trl: i64,
) -> SearchDoc {
    SearchDoc {
        kind: SearchKind::Achievement,
        id,
        title: title.to_owned(),
        body: summary.to_owned(),
        codes: vec![],
        region_path: Some(path.to_owned()),
        org_id: Some(100 + id),
        owner_user_id: None,
        public,
        facets: vec![
            ("area", "new_materials".to_owned()),
            ("trl", trl.to_string()),
        ],
    }
}

fn mark(seq: i64) -> Mark {
    Mark {
        seq,
        hash: format!("h{seq}"),
    }
}

const JY: &str = "/410000/419000/419001/";
const MZ: &str = "/410000/410800/410883/";

fn region(path: &str) -> DataScope {
    DataScope::Region {
        code: String::new(),
        path: path.to_owned(),
    }
}

fn q(text: &str, kinds: &[SearchKind], scope: &DataScope) -> SearchQuery {
    SearchQuery {
        text: text.to_owned(),
        kinds: kinds.to_vec(),
        scope_terms: caller_terms(scope),
        limit: 20,
        facets: true,
        snippets: true,
        ..Default::default()
    }
}

fn ids(f: &Found) -> Vec<i64> {
    let mut v: Vec<i64> = f.hits.iter().map(|h| h.id).collect();
    v.sort();
    v
}

fn sample() -> SearchIndex {
    let ix = SearchIndex::in_memory().unwrap();
    ix.apply(
        &[
            org(1, "济源市新材料科技有限公司", JY, "91419001MA00000001"),
            org(2, "孟州市钢铁装备有限公司", MZ, "91410883MA00000002"),
            org(3, "济源钢铁集团有限公司", JY, "91419001MA00000003"),
            achievement(
                4,
                "高强度铝合金新材料",
                "一种用于汽车轻量化的<铝合金>材料制备工艺",
                JY,
                true,
                7,
            ),
            achievement(5, "钢渣综合利用技术", "钢渣中铁的回收工艺", MZ, false, 5),
        ],
        &[],
        &mark(42),
    )
    .unwrap();
    ix
}

#[test]
fn a_word_inside_a_compound_is_found() {
    let ix = sample();
    let f = ix
        .search(&q("材料", &[SearchKind::Organization], &DataScope::All))
        .unwrap();
    assert_eq!(ids(&f), vec![1]);
    let f = ix
        .search(&q("钢铁", &[SearchKind::Organization], &DataScope::All))
        .unwrap();
    assert_eq!(ids(&f), vec![2, 3]);
    // every word must match
    let f = ix
        .search(&q(
            "济源 钢铁",
            &[SearchKind::Organization],
            &DataScope::All,
        ))
        .unwrap();
    assert_eq!(ids(&f), vec![3]);
    assert_eq!(f.total, 1);
}

#[test]
fn codes_match_whole_and_case_insensitively() {
    let ix = sample();
    let f = ix
        .search(&q(
            "91410883ma00000002",
            &[SearchKind::Organization],
            &DataScope::All,
        ))
        .unwrap();
    assert_eq!(ids(&f), vec![2]);
}

#[test]
fn scope_hides_other_regions_but_not_public_records() {
    let ix = sample();
    let kinds = [SearchKind::Organization, SearchKind::Achievement];
    let f = ix.search(&q("钢", &kinds, &region(JY))).unwrap();
    assert!(!ids(&f).contains(&2));
    let f = ix.search(&q("工艺", &kinds, &region(JY))).unwrap();
    // 4 is public (and in 济源); 5 is 孟州's and not public
    assert_eq!(ids(&f), vec![4]);
    let f = ix.search(&q("工艺", &kinds, &region(MZ))).unwrap();
    assert_eq!(ids(&f), vec![4, 5]);
    let f = ix
        .search(&q("工艺", &kinds, &DataScope::Organization { org_id: 105 }))
        .unwrap();
    assert_eq!(ids(&f), vec![4, 5]);
    let f = ix
        .search(&q("工艺", &kinds, &DataScope::Organization { org_id: 999 }))
        .unwrap();
    assert_eq!(ids(&f), vec![4]);
    // a kind the caller may not read is not searched at all
    let f = ix
        .search(&q("钢铁", &[SearchKind::Achievement], &DataScope::All))
        .unwrap();
    assert!(f.hits.is_empty());
}

#[test]
fn facets_count_and_filter() {
    let ix = sample();
    let all = [SearchKind::Organization, SearchKind::Achievement];
    let f = ix.search(&q("", &all, &DataScope::All)).unwrap();
    assert_eq!(f.total, 5);
    let count = |f: &Found, facet: &str, value: &str| {
        f.facets
            .iter()
            .find(|c| c.facet == facet && c.value == value)
            .map(|c| c.count)
    };
    assert_eq!(count(&f, "kind", "organization"), Some(3));
    assert_eq!(count(&f, "kind", "achievement"), Some(2));
    assert_eq!(count(&f, "trl", "7"), Some(1));
    let mut fq = q("", &all, &DataScope::All);
    fq.filters = vec![("trl".into(), "5".into())];
    assert_eq!(ids(&ix.search(&fq).unwrap()), vec![5]);
}

#[test]
fn snippets_highlight_and_escape() {
    let ix = sample();
    let f = ix
        .search(&q("铝合金", &[SearchKind::Achievement], &DataScope::All))
        .unwrap();
    assert_eq!(f.hits.len(), 1);
    let s = &f.hits[0].snippet;
    assert!(s.contains("<em>铝合金</em>"), "{s}");
    assert!(s.contains("&lt;"), "{s}");
    assert!(!s.contains("<铝"), "{s}");
}

#[test]
fn apply_replaces_and_deletes() {
    let ix = sample();
    let mut renamed = org(1, "济源市精密装备有限公司", JY, "91419001MA00000001");
    renamed.body = "装备".into();
    ix.apply(&[renamed], &[(SearchKind::Organization, 3)], &mark(50))
        .unwrap();
    assert_eq!(ix.covered(), mark(50));
    let kinds = [SearchKind::Organization];
    assert!(
        ix.search(&q("材料", &kinds, &DataScope::All))
            .unwrap()
            .hits
            .is_empty()
    );
    assert_eq!(
        ids(&ix.search(&q("装备", &kinds, &DataScope::All)).unwrap()),
        vec![1, 2]
    );
    assert!(
        ix.search(&q("集团", &kinds, &DataScope::All))
            .unwrap()
            .hits
            .is_empty()
    );
    assert_eq!(ix.num_docs(), 4);
    assert_eq!(
        ix.ids(SearchKind::Organization, "装备", None)
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn the_covered_sequence_survives_a_reopen_and_another_version_starts_empty() {
    let dir = std::env::temp_dir().join(format!("kc-search-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    {
        let ix = SearchIndex::open(&dir).unwrap();
        assert_eq!(ix.covered_seq().unwrap(), 0);
        let mut r = ix.rebuild().unwrap();
        r.add(&[org(1, "济源市新材料科技有限公司", JY, "X")])
            .unwrap();
        assert_eq!(r.finish(&mark(7)).unwrap(), 1);
    }
    {
        let ix = SearchIndex::open(&dir).unwrap();
        assert_eq!(ix.covered(), mark(7));
        assert_eq!(ix.num_docs(), 1);
        // an index written by another version is not trusted
        let mut w = ix.writer().unwrap();
        let mut c = w.prepare_commit().unwrap();
        c.set_payload("kechuang-search/0 seq=9");
        c.commit().unwrap();
    }
    let ix = SearchIndex::open(&dir).unwrap();
    assert_eq!(ix.covered_seq().unwrap(), 0);
    assert_eq!(ix.num_docs(), 0);
    let _ = std::fs::remove_dir_all(&dir);
}
