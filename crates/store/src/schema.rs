//! The schema, as an append-only list of migrations. Never edit a released migration: add a
//! new one. Each runs in its own transaction and bumps `schema_version`.
//!
//! The DDL is written in the subset both SQLite and PostgreSQL accept (BIGINT, TEXT, BOOLEAN);
//! where they differ, the statement says so with [`Ddl::Pg`] / [`Ddl::Sqlite`].

use crate::Backend;
use crate::error::{StoreError, StoreResult};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement, TransactionTrait};

enum Ddl {
    Both(&'static str),
    Pg(&'static str),
    Sqlite(&'static str),
}

use Ddl::{Both, Pg, Sqlite};

/// Migration N is `MIGRATIONS[N - 1]`.
const MIGRATIONS: &[&[Ddl]] = &[
    // 1: registries, accounts, sessions, audit log.
    &[
        Both(
            "CREATE TABLE organizations (
            id BIGINT PRIMARY KEY,
            credit_code TEXT NOT NULL,
            name TEXT NOT NULL,
            kind TEXT NOT NULL,
            region_code TEXT NOT NULL,
            region_path TEXT NOT NULL,
            industry TEXT,
            founded_on TEXT,
            legal_representative TEXT,
            size_class TEXT,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            created_by BIGINT,
            updated_by BIGINT)",
        ),
        Both("CREATE UNIQUE INDEX organizations_credit_code ON organizations (credit_code)"),
        Pg(
            "CREATE INDEX organizations_region_path ON organizations (region_path text_pattern_ops, id)",
        ),
        Sqlite("CREATE INDEX organizations_region_path ON organizations (region_path, id)"),
        Both("CREATE INDEX organizations_name ON organizations (name)"),
        Both(
            "CREATE TABLE enterprise_years (
            id BIGINT PRIMARY KEY,
            org_id BIGINT NOT NULL REFERENCES organizations (id),
            year BIGINT NOT NULL,
            region_path TEXT NOT NULL,
            employees BIGINT,
            tech_staff BIGINT,
            revenue BIGINT,
            total_income BIGINT,
            high_tech_revenue BIGINT,
            total_assets BIGINT,
            net_assets BIGINT,
            total_cost BIGINT,
            rd_expense BIGINT,
            rd_expense_domestic BIGINT,
            ip_class1 BIGINT,
            ip_class2 BIGINT,
            invention_patents BIGINT,
            utility_models BIGINT,
            software_copyrights BIGINT,
            hte_valid BOOLEAN,
            national_award_5y BOOLEAN,
            provincial_rd_institution BOOLEAN,
            standard_lead_5y BOOLEAN,
            serious_violation BOOLEAN,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            created_by BIGINT,
            updated_by BIGINT)",
        ),
        Both("CREATE UNIQUE INDEX enterprise_years_org_year ON enterprise_years (org_id, year)"),
        Pg(
            "CREATE INDEX enterprise_years_region_path ON enterprise_years (region_path text_pattern_ops, year)",
        ),
        Sqlite("CREATE INDEX enterprise_years_region_path ON enterprise_years (region_path, year)"),
        Both(
            "CREATE TABLE platforms (
            id BIGINT PRIMARY KEY,
            name TEXT NOT NULL,
            platform_type TEXT NOT NULL,
            level TEXT NOT NULL,
            host_org_id BIGINT NOT NULL REFERENCES organizations (id),
            region_code TEXT NOT NULL,
            region_path TEXT NOT NULL,
            recognized_on TEXT,
            approval_document TEXT,
            status TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            created_by BIGINT,
            updated_by BIGINT)",
        ),
        Pg("CREATE INDEX platforms_region_path ON platforms (region_path text_pattern_ops)"),
        Sqlite("CREATE INDEX platforms_region_path ON platforms (region_path)"),
        Both("CREATE INDEX platforms_host ON platforms (host_org_id)"),
        Both(
            "CREATE TABLE persons (
            id BIGINT PRIMARY KEY,
            name TEXT NOT NULL,
            org_id BIGINT REFERENCES organizations (id),
            region_code TEXT NOT NULL,
            region_path TEXT NOT NULL,
            title TEXT,
            title_level TEXT,
            disciplines TEXT NOT NULL,
            keywords TEXT NOT NULL,
            is_expert BOOLEAN NOT NULL,
            talent_programme TEXT,
            id_hash TEXT,
            user_id BIGINT,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            created_by BIGINT,
            updated_by BIGINT)",
        ),
        Pg("CREATE INDEX persons_region_path ON persons (region_path text_pattern_ops)"),
        Sqlite("CREATE INDEX persons_region_path ON persons (region_path)"),
        Both("CREATE INDEX persons_org ON persons (org_id)"),
        Both("CREATE INDEX persons_id_hash ON persons (id_hash)"),
        Both(
            "CREATE TABLE users (
            id BIGINT PRIMARY KEY,
            username TEXT NOT NULL,
            display_name TEXT NOT NULL,
            password_hash TEXT NOT NULL,
            scope_kind TEXT NOT NULL,
            region_code TEXT NOT NULL,
            region_path TEXT NOT NULL,
            org_id BIGINT REFERENCES organizations (id),
            status TEXT NOT NULL,
            failed_logins BIGINT NOT NULL,
            locked_until BIGINT,
            must_change_password BOOLEAN NOT NULL,
            last_login_at BIGINT,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            created_by BIGINT,
            updated_by BIGINT)",
        ),
        Both("CREATE UNIQUE INDEX users_username ON users (username)"),
        Both(
            "CREATE TABLE roles (
            id BIGINT PRIMARY KEY,
            role_key TEXT NOT NULL,
            name TEXT NOT NULL,
            builtin BOOLEAN NOT NULL)",
        ),
        Both("CREATE UNIQUE INDEX roles_key ON roles (role_key)"),
        Both(
            "CREATE TABLE role_permissions (
            role_id BIGINT NOT NULL REFERENCES roles (id),
            permission TEXT NOT NULL,
            PRIMARY KEY (role_id, permission))",
        ),
        Both(
            "CREATE TABLE user_roles (
            user_id BIGINT NOT NULL REFERENCES users (id),
            role_id BIGINT NOT NULL REFERENCES roles (id),
            PRIMARY KEY (user_id, role_id))",
        ),
        Both(
            "CREATE TABLE sessions (
            token_hash TEXT PRIMARY KEY,
            user_id BIGINT NOT NULL REFERENCES users (id),
            csrf_token TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            last_seen_at BIGINT NOT NULL,
            expires_at BIGINT NOT NULL)",
        ),
        Both("CREATE INDEX sessions_user ON sessions (user_id)"),
        Both(
            "CREATE TABLE audit_log (
            seq BIGINT PRIMARY KEY,
            at BIGINT NOT NULL,
            actor_id BIGINT,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            entity TEXT NOT NULL,
            entity_id TEXT NOT NULL,
            region_path TEXT,
            org_id BIGINT,
            before_json TEXT,
            after_json TEXT,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL)",
        ),
        Both("CREATE INDEX audit_log_entity ON audit_log (entity, entity_id)"),
        Both("CREATE INDEX audit_log_at ON audit_log (at)"),
        Both(
            "CREATE TABLE audit_head (id BIGINT PRIMARY KEY, seq BIGINT NOT NULL, hash TEXT NOT NULL, next_id BIGINT NOT NULL)",
        ),
        Both(
            "INSERT INTO audit_head (id, seq, hash, next_id) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000', 1000)",
        ),
        Both("CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)"),
    ],
    // 2: rules-engine results, per pack, year and enterprise, with the policy version used.
    &[
        Both(
            "CREATE TABLE rule_results (
            id BIGINT PRIMARY KEY,
            pack TEXT NOT NULL,
            pack_version TEXT NOT NULL,
            year BIGINT NOT NULL,
            org_id BIGINT NOT NULL REFERENCES organizations (id),
            region_path TEXT NOT NULL,
            qualified BOOLEAN,
            score BIGINT,
            pools TEXT NOT NULL,
            outputs_json TEXT NOT NULL,
            missing_json TEXT NOT NULL,
            gaps_json TEXT NOT NULL,
            explanation TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            created_by BIGINT)",
        ),
        Both("CREATE UNIQUE INDEX rule_results_key ON rule_results (pack, year, org_id)"),
        Pg(
            "CREATE INDEX rule_results_region ON rule_results (region_path text_pattern_ops, pack, year)",
        ),
        Sqlite("CREATE INDEX rule_results_region ON rule_results (region_path, pack, year)"),
        // New permissions for roles created by migration-1 era databases.
        Both(
            "INSERT INTO role_permissions (role_id, permission) SELECT id, 'rules:read' FROM roles WHERE role_key IN ('officer', 'leader', 'enterprise') AND NOT EXISTS (SELECT 1 FROM role_permissions rp WHERE rp.role_id = roles.id AND rp.permission = 'rules:read')",
        ),
        Both(
            "INSERT INTO role_permissions (role_id, permission) SELECT id, 'rules:run' FROM roles WHERE role_key IN ('officer', 'enterprise') AND NOT EXISTS (SELECT 1 FROM role_permissions rp WHERE rp.role_id = roles.id AND rp.permission = 'rules:run')",
        ),
    ],
    // 3: expert review (专家评审): the expert pool's own fields, co-memberships for 回避, review
    // rounds that attach to any reviewable object, their items and assignments.
    &[
        Both(
            "CREATE TABLE expert_profiles (
            person_id BIGINT PRIMARY KEY REFERENCES persons (id),
            max_load BIGINT NOT NULL,
            available_from TEXT,
            available_to TEXT,
            active BOOLEAN NOT NULL,
            updated_at BIGINT NOT NULL,
            updated_by BIGINT)",
        ),
        Both(
            "CREATE TABLE person_links (
            id BIGINT PRIMARY KEY,
            person_id BIGINT NOT NULL REFERENCES persons (id),
            kind TEXT NOT NULL,
            ref TEXT NOT NULL,
            year BIGINT NOT NULL,
            created_at BIGINT NOT NULL,
            created_by BIGINT)",
        ),
        Both("CREATE INDEX person_links_person ON person_links (person_id)"),
        Both("CREATE INDEX person_links_ref ON person_links (ref)"),
        Both(
            "CREATE TABLE review_rounds (
            id BIGINT PRIMARY KEY,
            title TEXT NOT NULL,
            object_kind TEXT NOT NULL,
            region_code TEXT NOT NULL,
            region_path TEXT NOT NULL,
            reviewers_per_item BIGINT NOT NULL,
            max_load BIGINT NOT NULL,
            coauthor_years BIGINT NOT NULL,
            exclude_same_county BOOLEAN NOT NULL,
            due_on TEXT,
            form_json TEXT NOT NULL,
            status TEXT NOT NULL,
            assignment_json TEXT,
            published_at BIGINT,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            created_by BIGINT,
            updated_by BIGINT)",
        ),
        Pg("CREATE INDEX review_rounds_region ON review_rounds (region_path text_pattern_ops)"),
        Sqlite("CREATE INDEX review_rounds_region ON review_rounds (region_path)"),
        Both(
            "CREATE TABLE review_items (
            id BIGINT PRIMARY KEY,
            round_id BIGINT NOT NULL REFERENCES review_rounds (id),
            title TEXT NOT NULL,
            object_ref TEXT,
            org_id BIGINT REFERENCES organizations (id),
            applicant_region TEXT,
            disciplines TEXT NOT NULL,
            keywords TEXT NOT NULL,
            team TEXT NOT NULL,
            avoid TEXT NOT NULL,
            created_at BIGINT NOT NULL)",
        ),
        Both("CREATE INDEX review_items_round ON review_items (round_id)"),
        Both(
            "CREATE TABLE review_assignments (
            id BIGINT PRIMARY KEY,
            round_id BIGINT NOT NULL REFERENCES review_rounds (id),
            item_id BIGINT NOT NULL REFERENCES review_items (id),
            expert_id BIGINT NOT NULL REFERENCES persons (id),
            expert_user_id BIGINT,
            region_path TEXT NOT NULL,
            affinity BIGINT NOT NULL,
            method TEXT NOT NULL,
            status TEXT NOT NULL,
            decline_reason TEXT,
            scores_json TEXT,
            total DOUBLE PRECISION,
            comment TEXT,
            reminded_at BIGINT,
            submitted_at BIGINT,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL)",
        ),
        Both(
            "CREATE UNIQUE INDEX review_assignments_pair ON review_assignments (item_id, expert_id)",
        ),
        Both("CREATE INDEX review_assignments_round ON review_assignments (round_id)"),
        Both("CREATE INDEX review_assignments_expert ON review_assignments (expert_user_id)"),
        Both(
            "INSERT INTO role_permissions (role_id, permission) SELECT id, 'review:manage' FROM roles WHERE role_key = 'officer' AND NOT EXISTS (SELECT 1 FROM role_permissions rp WHERE rp.role_id = roles.id AND rp.permission = 'review:manage')",
        ),
        Both(
            "INSERT INTO role_permissions (role_id, permission) SELECT id, 'review:read' FROM roles WHERE role_key IN ('officer', 'leader') AND NOT EXISTS (SELECT 1 FROM role_permissions rp WHERE rp.role_id = roles.id AND rp.permission = 'review:read')",
        ),
        Both(
            "INSERT INTO role_permissions (role_id, permission) SELECT id, 'review:score' FROM roles WHERE role_key = 'expert' AND NOT EXISTS (SELECT 1 FROM role_permissions rp WHERE rp.role_id = roles.id AND rp.permission = 'review:score')",
        ),
    ],
    // 4: plan monitoring (规划监测): plans with their reviewed targets, entered indicator
    // values with source and date, and the task ledger (工作台账) with progress updates.
    &[
        Both(
            "CREATE TABLE plans (
            id BIGINT PRIMARY KEY,
            title TEXT NOT NULL,
            region_code TEXT NOT NULL,
            region_path TEXT NOT NULL,
            base_year BIGINT NOT NULL,
            target_year BIGINT NOT NULL,
            file_name TEXT,
            text TEXT NOT NULL,
            status TEXT NOT NULL,
            confirmed_at BIGINT,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            created_by BIGINT,
            updated_by BIGINT)",
        ),
        Pg("CREATE INDEX plans_region ON plans (region_path text_pattern_ops)"),
        Sqlite("CREATE INDEX plans_region ON plans (region_path)"),
        Both(
            "CREATE TABLE plan_targets (
            id BIGINT PRIMARY KEY,
            plan_id BIGINT NOT NULL REFERENCES plans (id),
            region_path TEXT NOT NULL,
            indicator TEXT NOT NULL,
            ind_key TEXT NOT NULL,
            value DOUBLE PRECISION NOT NULL,
            value_max DOUBLE PRECISION,
            unit TEXT NOT NULL,
            comparator TEXT NOT NULL,
            year BIGINT,
            kind TEXT NOT NULL,
            sentence TEXT NOT NULL,
            start_pos BIGINT NOT NULL,
            end_pos BIGINT NOT NULL,
            status TEXT NOT NULL,
            merged_into BIGINT,
            note TEXT,
            updated_at BIGINT NOT NULL,
            updated_by BIGINT)",
        ),
        Both("CREATE INDEX plan_targets_plan ON plan_targets (plan_id)"),
        Both(
            "CREATE TABLE plan_tasks (
            id BIGINT PRIMARY KEY,
            plan_id BIGINT NOT NULL REFERENCES plans (id),
            region_path TEXT NOT NULL,
            number TEXT NOT NULL,
            title TEXT NOT NULL,
            level BIGINT NOT NULL,
            responsible_units TEXT NOT NULL,
            deadline TEXT,
            status TEXT NOT NULL,
            progress BIGINT NOT NULL,
            position BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            updated_by BIGINT)",
        ),
        Both("CREATE INDEX plan_tasks_plan ON plan_tasks (plan_id)"),
        Both(
            "CREATE TABLE task_updates (
            id BIGINT PRIMARY KEY,
            task_id BIGINT NOT NULL REFERENCES plan_tasks (id),
            progress BIGINT NOT NULL,
            note TEXT NOT NULL,
            evidence_name TEXT,
            evidence_sha256 TEXT,
            at BIGINT NOT NULL,
            by_user TEXT NOT NULL)",
        ),
        Both("CREATE INDEX task_updates_task ON task_updates (task_id)"),
        Both(
            "CREATE TABLE indicator_entries (
            id BIGINT PRIMARY KEY,
            element TEXT NOT NULL,
            region_code TEXT NOT NULL,
            region_path TEXT NOT NULL,
            year BIGINT NOT NULL,
            value TEXT NOT NULL,
            source TEXT NOT NULL,
            source_date TEXT NOT NULL,
            updated_at BIGINT NOT NULL,
            updated_by BIGINT)",
        ),
        Both(
            "CREATE UNIQUE INDEX indicator_entries_key ON indicator_entries (element, region_code, year)",
        ),
        Pg(
            "CREATE INDEX indicator_entries_region ON indicator_entries (region_path text_pattern_ops)",
        ),
        Sqlite("CREATE INDEX indicator_entries_region ON indicator_entries (region_path)"),
        Both(
            "INSERT INTO role_permissions (role_id, permission) SELECT id, 'plan:write' FROM roles WHERE role_key = 'officer' AND NOT EXISTS (SELECT 1 FROM role_permissions rp WHERE rp.role_id = roles.id AND rp.permission = 'plan:write')",
        ),
        Both(
            "INSERT INTO role_permissions (role_id, permission) SELECT id, 'plan:read' FROM roles WHERE role_key IN ('officer', 'leader') AND NOT EXISTS (SELECT 1 FROM role_permissions rp WHERE rp.role_id = roles.id AND rp.permission = 'plan:read')",
        ),
    ],
    // 5: science-plan projects (科技计划项目): calls, applications with their state history,
    // integrity sanctions.
    &[
        Both(
            "CREATE TABLE calls (
            id BIGINT PRIMARY KEY,
            title TEXT NOT NULL,
            category TEXT NOT NULL,
            mode TEXT NOT NULL,
            region_code TEXT NOT NULL,
            region_path TEXT NOT NULL,
            budget_fen BIGINT NOT NULL,
            opens_on TEXT NOT NULL,
            closes_on TEXT NOT NULL,
            eligibility_json TEXT,
            challenge_target TEXT,
            challenge_reward_fen BIGINT,
            max_active_per_leader BIGINT NOT NULL,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            created_by BIGINT)",
        ),
        Pg("CREATE INDEX calls_region ON calls (region_path text_pattern_ops)"),
        Sqlite("CREATE INDEX calls_region ON calls (region_path)"),
        Both(
            "CREATE TABLE applications (
            id BIGINT PRIMARY KEY,
            call_id BIGINT NOT NULL REFERENCES calls (id),
            org_id BIGINT NOT NULL REFERENCES organizations (id),
            region_path TEXT NOT NULL,
            title TEXT NOT NULL,
            leader_id BIGINT NOT NULL REFERENCES persons (id),
            team_json TEXT NOT NULL,
            lump_sum BOOLEAN NOT NULL,
            budget_json TEXT NOT NULL,
            budget_fen BIGINT NOT NULL,
            milestones_json TEXT NOT NULL,
            disciplines TEXT NOT NULL,
            keywords TEXT NOT NULL,
            integrity_pledge BOOLEAN NOT NULL,
            ethics_required BOOLEAN NOT NULL,
            ethics_registration TEXT,
            status TEXT NOT NULL,
            granted_fen BIGINT,
            rating TEXT,
            rating_note TEXT,
            submitted_at BIGINT,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            created_by BIGINT)",
        ),
        Both("CREATE INDEX applications_org ON applications (org_id)"),
        Both("CREATE INDEX applications_leader ON applications (leader_id)"),
        Pg("CREATE INDEX applications_region ON applications (region_path text_pattern_ops)"),
        Sqlite("CREATE INDEX applications_region ON applications (region_path)"),
        Both(
            "CREATE TABLE app_transitions (
            id BIGINT PRIMARY KEY,
            application_id BIGINT NOT NULL REFERENCES applications (id),
            from_status TEXT NOT NULL,
            to_status TEXT NOT NULL,
            action TEXT NOT NULL,
            reason TEXT,
            actor TEXT NOT NULL,
            at BIGINT NOT NULL)",
        ),
        Both("CREATE INDEX app_transitions_app ON app_transitions (application_id)"),
        Both(
            "CREATE TABLE sanctions (
            id BIGINT PRIMARY KEY,
            person_id BIGINT REFERENCES persons (id),
            org_id BIGINT REFERENCES organizations (id),
            region_path TEXT NOT NULL,
            measure TEXT NOT NULL,
            starts_on TEXT NOT NULL,
            ends_on TEXT NOT NULL,
            source_document TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            created_by BIGINT)",
        ),
        Both(
            "CREATE TABLE milestone_checks (
            id BIGINT PRIMARY KEY,
            application_id BIGINT NOT NULL REFERENCES applications (id),
            milestone BIGINT NOT NULL,
            passed BOOLEAN NOT NULL,
            note TEXT NOT NULL,
            evidence_name TEXT,
            evidence_sha256 TEXT,
            at BIGINT NOT NULL,
            by_user TEXT NOT NULL)",
        ),
        Both("CREATE INDEX milestone_checks_app ON milestone_checks (application_id)"),
        Both(
            "CREATE TABLE disbursements (
            id BIGINT PRIMARY KEY,
            application_id BIGINT NOT NULL REFERENCES applications (id),
            milestone BIGINT,
            amount_fen BIGINT NOT NULL,
            note TEXT NOT NULL,
            at BIGINT NOT NULL,
            by_user TEXT NOT NULL)",
        ),
        Both("CREATE INDEX disbursements_app ON disbursements (application_id)"),
        Both(
            "CREATE TABLE demands (
            id BIGINT PRIMARY KEY,
            org_id BIGINT NOT NULL REFERENCES organizations (id),
            region_path TEXT NOT NULL,
            title TEXT NOT NULL,
            description TEXT NOT NULL,
            target TEXT NOT NULL,
            budget_fen BIGINT,
            status TEXT NOT NULL,
            call_id BIGINT REFERENCES calls (id),
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            created_by BIGINT)",
        ),
        Pg("CREATE INDEX demands_region ON demands (region_path text_pattern_ops)"),
        Sqlite("CREATE INDEX demands_region ON demands (region_path)"),
        Both("CREATE INDEX sanctions_person ON sanctions (person_id)"),
        Both("CREATE INDEX sanctions_org ON sanctions (org_id)"),
        Both(
            "INSERT INTO role_permissions (role_id, permission) SELECT id, 'project:manage' FROM roles WHERE role_key = 'officer' AND NOT EXISTS (SELECT 1 FROM role_permissions rp WHERE rp.role_id = roles.id AND rp.permission = 'project:manage')",
        ),
        Both(
            "INSERT INTO role_permissions (role_id, permission) SELECT id, 'project:apply' FROM roles WHERE role_key = 'enterprise' AND NOT EXISTS (SELECT 1 FROM role_permissions rp WHERE rp.role_id = roles.id AND rp.permission = 'project:apply')",
        ),
        Both(
            "INSERT INTO role_permissions (role_id, permission) SELECT id, 'project:read' FROM roles WHERE role_key IN ('officer', 'leader', 'enterprise') AND NOT EXISTS (SELECT 1 FROM role_permissions rp WHERE rp.role_id = roles.id AND rp.permission = 'project:read')",
        ),
    ],
    // 6: projects, part 2: PDF attachments stored with their SHA-256, the registry facts frozen
    // at submission (一次报送), the predecessor of a 滚动支持 application, the rating's date, the organizations a
    // 定向委托 call is addressed to, a call's extra form items and the applications' answers.
    &[
        Both(
            "ALTER TABLE applications ADD COLUMN predecessor_id BIGINT REFERENCES applications (id)",
        ),
        Both("ALTER TABLE applications ADD COLUMN registry_snapshot TEXT"),
        Both("ALTER TABLE applications ADD COLUMN rated_on TEXT"),
        Both("ALTER TABLE calls ADD COLUMN designated_orgs TEXT"),
        Both("ALTER TABLE calls ADD COLUMN form_json TEXT"),
        Both("ALTER TABLE applications ADD COLUMN answers_json TEXT"),
        Pg("CREATE TABLE attachments (
            id BIGINT PRIMARY KEY,
            application_id BIGINT NOT NULL REFERENCES applications (id),
            kind TEXT NOT NULL,
            file_name TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            size_bytes BIGINT NOT NULL,
            content BYTEA NOT NULL,
            uploaded_at BIGINT NOT NULL,
            uploaded_by BIGINT)"),
        Sqlite(
            "CREATE TABLE attachments (
            id BIGINT PRIMARY KEY,
            application_id BIGINT NOT NULL REFERENCES applications (id),
            kind TEXT NOT NULL,
            file_name TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            size_bytes BIGINT NOT NULL,
            content BLOB NOT NULL,
            uploaded_at BIGINT NOT NULL,
            uploaded_by BIGINT)",
        ),
        Both("CREATE UNIQUE INDEX attachments_app_hash ON attachments (application_id, sha256)"),
        Both("CREATE INDEX applications_predecessor ON applications (predecessor_id)"),
    ],
    // 7: the working day. A call is drafted, published and may be withdrawn (发布指南); an
    // expert's scores can be saved before submission (暂存); buttons follow finer permissions
    // (adding and removing registry records is the bureau's, not every writer's).
    &[
        Both("ALTER TABLE calls ADD COLUMN status TEXT NOT NULL DEFAULT 'published'"),
        Both("ALTER TABLE calls ADD COLUMN withdraw_reason TEXT"),
        Both("ALTER TABLE review_assignments ADD COLUMN draft_json TEXT"),
        Both("ALTER TABLE review_assignments ADD COLUMN draft_saved_at BIGINT"),
        Both(
            "INSERT INTO role_permissions (role_id, permission) SELECT r.id, p.permission FROM roles r CROSS JOIN (SELECT 'org:add' AS permission UNION ALL SELECT 'org:remove' UNION ALL SELECT 'person:add' UNION ALL SELECT 'person:remove' UNION ALL SELECT 'platform:add' UNION ALL SELECT 'platform:remove') p WHERE r.role_key = 'officer' AND NOT EXISTS (SELECT 1 FROM role_permissions rp WHERE rp.role_id = r.id AND rp.permission = p.permission)",
        ),
    ],
    // 8: the technology market, part 1: 技术合同认定登记. A contract lies in its seller's
    // region; the signed text sits beside it so lists stay light. The registration office is
    // a role of its own (技术合同登记员); sellers apply, officers and leaders read.
    &[
        Both(
            "CREATE TABLE tech_contracts (
            id BIGINT PRIMARY KEY,
            contract_no TEXT NOT NULL,
            subject TEXT NOT NULL,
            category TEXT,
            category_text TEXT NOT NULL,
            subcategory TEXT,
            form TEXT NOT NULL,
            field TEXT,
            ip_kind TEXT,
            seller_org_id BIGINT NOT NULL REFERENCES organizations (id),
            seller_name TEXT NOT NULL,
            seller_credit_code TEXT NOT NULL,
            region_code TEXT NOT NULL,
            region_path TEXT NOT NULL,
            buyer_name TEXT NOT NULL,
            buyer_credit_code TEXT NOT NULL,
            buyer_region_code TEXT NOT NULL,
            buyer_region_path TEXT,
            total_fen BIGINT NOT NULL,
            non_tech_fen BIGINT NOT NULL,
            carrier_fen BIGINT NOT NULL,
            technical_fen BIGINT,
            signed_on TEXT NOT NULL,
            valid_from TEXT,
            valid_to TEXT,
            broker_name TEXT,
            status TEXT NOT NULL,
            submitted_on TEXT,
            due_on TEXT,
            decided_on TEXT,
            registration_no TEXT,
            decision TEXT,
            reasons TEXT,
            explanation TEXT,
            findings TEXT,
            note TEXT,
            second_review BOOLEAN NOT NULL DEFAULT FALSE,
            corrected BOOLEAN NOT NULL DEFAULT FALSE,
            first_reviewer BIGINT,
            file_name TEXT,
            file_sha256 TEXT,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            created_by BIGINT,
            updated_by BIGINT)",
        ),
        Pg("CREATE TABLE tech_contract_files (
            contract_id BIGINT PRIMARY KEY REFERENCES tech_contracts (id),
            content BYTEA NOT NULL)"),
        Sqlite(
            "CREATE TABLE tech_contract_files (
            contract_id BIGINT PRIMARY KEY REFERENCES tech_contracts (id),
            content BLOB NOT NULL)",
        ),
        Both(
            "CREATE UNIQUE INDEX tech_contracts_parties_no ON tech_contracts (seller_credit_code, buyer_credit_code, contract_no)",
        ),
        Both("CREATE UNIQUE INDEX tech_contracts_regno ON tech_contracts (registration_no)"),
        Both("CREATE INDEX tech_contracts_region ON tech_contracts (region_path, updated_at)"),
        Both("CREATE INDEX tech_contracts_seller ON tech_contracts (seller_org_id)"),
        Both(
            "CREATE INDEX tech_contracts_buyer_region ON tech_contracts (buyer_region_path, decided_on)",
        ),
        Both("CREATE INDEX tech_contracts_status ON tech_contracts (status, decided_on)"),
        Both(
            "INSERT INTO role_permissions (role_id, permission) SELECT r.id, 'contract:read' FROM roles r WHERE r.role_key IN ('officer', 'leader', 'enterprise') AND NOT EXISTS (SELECT 1 FROM role_permissions rp WHERE rp.role_id = r.id AND rp.permission = 'contract:read')",
        ),
        Both(
            "INSERT INTO role_permissions (role_id, permission) SELECT r.id, 'contract:apply' FROM roles r WHERE r.role_key = 'enterprise' AND NOT EXISTS (SELECT 1 FROM role_permissions rp WHERE rp.role_id = r.id AND rp.permission = 'contract:apply')",
        ),
    ],
    // 9: the technology market, part 2: 科技成果 with their notice (公示) and objections. The
    // JSON columns (keywords, team, IP, modes) are read whole with the record, never queried
    // inside but for a mode filter.
    &[
        Both(
            "CREATE TABLE achievements (
            id BIGINT PRIMARY KEY,
            title TEXT NOT NULL,
            owner_org_id BIGINT NOT NULL REFERENCES organizations (id),
            region_code TEXT NOT NULL,
            region_path TEXT NOT NULL,
            area TEXT NOT NULL,
            industry TEXT,
            keywords TEXT NOT NULL,
            summary TEXT NOT NULL,
            trl BIGINT NOT NULL,
            team TEXT NOT NULL,
            ip TEXT NOT NULL,
            modes TEXT NOT NULL,
            asking_fen BIGINT,
            contact TEXT NOT NULL,
            status TEXT NOT NULL,
            submitted_on TEXT,
            notice_start TEXT,
            notice_end TEXT,
            notice_days BIGINT,
            listed_on TEXT,
            closed_on TEXT,
            return_reason TEXT,
            open_objections BIGINT NOT NULL DEFAULT 0,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            created_by BIGINT,
            updated_by BIGINT)",
        ),
        Both(
            "CREATE TABLE achievement_objections (
            achievement_id BIGINT NOT NULL REFERENCES achievements (id),
            no BIGINT NOT NULL,
            at BIGINT NOT NULL,
            by_user BIGINT,
            by_name TEXT NOT NULL,
            content TEXT NOT NULL,
            resolved BOOLEAN NOT NULL,
            upheld BOOLEAN,
            resolution TEXT,
            PRIMARY KEY (achievement_id, no))",
        ),
        Both("CREATE INDEX achievements_region ON achievements (region_path, updated_at)"),
        Both("CREATE INDEX achievements_owner ON achievements (owner_org_id)"),
        Both("CREATE INDEX achievements_status ON achievements (status, updated_at)"),
        Both(
            "INSERT INTO role_permissions (role_id, permission) SELECT r.id, 'market:read' FROM roles r WHERE r.role_key IN ('officer', 'leader', 'enterprise', 'registrar') AND NOT EXISTS (SELECT 1 FROM role_permissions rp WHERE rp.role_id = r.id AND rp.permission = 'market:read')",
        ),
        Both(
            "INSERT INTO role_permissions (role_id, permission) SELECT r.id, 'market:publish' FROM roles r WHERE r.role_key = 'enterprise' AND NOT EXISTS (SELECT 1 FROM role_permissions rp WHERE rp.role_id = r.id AND rp.permission = 'market:publish')",
        ),
        Both(
            "INSERT INTO role_permissions (role_id, permission) SELECT r.id, 'market:manage' FROM roles r WHERE r.role_key = 'officer' AND NOT EXISTS (SELECT 1 FROM role_permissions rp WHERE rp.role_id = r.id AND rp.permission = 'market:manage')",
        ),
    ],
    // 10: one record for a technical demand, on the market or adopted into a 榜单: the 企业出题
    // demands gain a budget range, a deadline, a field, keywords and the maturity they ask for.
    &[
        Both("ALTER TABLE demands ADD COLUMN budget_min_fen BIGINT"),
        Both("ALTER TABLE demands ADD COLUMN deadline TEXT"),
        Both("ALTER TABLE demands ADD COLUMN area TEXT"),
        Both("ALTER TABLE demands ADD COLUMN keywords TEXT"),
        Both("ALTER TABLE demands ADD COLUMN trl_min BIGINT"),
        Both("CREATE INDEX demands_status ON demands (status)"),
    ],
    // 11: the technology market, part 3: 技术经纪人 (a registry of their own, in the region of
    // their agency) and 对接活动 with their outcome. An event's links (achievements, demands,
    // brokers, organizations, the contracts that followed) are JSON id lists read whole with
    // the event and audited with it.
    &[
        Both(
            "CREATE TABLE tech_brokers (
            id BIGINT PRIMARY KEY,
            name TEXT NOT NULL,
            certificate_no TEXT NOT NULL,
            level TEXT NOT NULL,
            org_id BIGINT REFERENCES organizations (id),
            region_code TEXT NOT NULL,
            region_path TEXT NOT NULL,
            areas TEXT NOT NULL,
            phone TEXT,
            status TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            created_by BIGINT,
            updated_by BIGINT)",
        ),
        Both("CREATE UNIQUE INDEX tech_brokers_certificate ON tech_brokers (certificate_no)"),
        Both("CREATE INDEX tech_brokers_region ON tech_brokers (region_path, updated_at)"),
        Both(
            "CREATE TABLE match_events (
            id BIGINT PRIMARY KEY,
            title TEXT NOT NULL,
            kind TEXT NOT NULL,
            held_on TEXT NOT NULL,
            place TEXT NOT NULL,
            organizer TEXT NOT NULL,
            region_code TEXT NOT NULL,
            region_path TEXT NOT NULL,
            achievement_ids TEXT NOT NULL,
            demand_ids TEXT NOT NULL,
            broker_ids TEXT NOT NULL,
            org_ids TEXT NOT NULL,
            note TEXT NOT NULL,
            outcome TEXT NOT NULL,
            intents BIGINT NOT NULL DEFAULT 0,
            contract_ids TEXT NOT NULL,
            outcome_note TEXT,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            created_by BIGINT,
            updated_by BIGINT)",
        ),
        Both("CREATE INDEX match_events_region ON match_events (region_path, held_on)"),
    ],
    // 12: 资金与服务 — funding programmes (with their committed and paid sums, kept by the
    // writes that change them), their grants (one live grant per matter across every
    // programme) and the ledger of payments; innovation vouchers with service providers and
    // orders; shared instruments and their bookings; 科技贷 loans and the risk-compensation pool.
    // The permissions funds:read (the bureau's reading: officer, leader), funds:manage (officer)
    // and funds:apply (an organization's own side: enterprise).
    &[
        Both(
            "CREATE TABLE fund_programmes (
            id BIGINT PRIMARY KEY,
            code TEXT NOT NULL,
            name TEXT NOT NULL,
            kind TEXT NOT NULL,
            mode TEXT NOT NULL,
            year BIGINT NOT NULL,
            region_code TEXT NOT NULL,
            region_path TEXT NOT NULL,
            budget_fen BIGINT NOT NULL,
            fund_source TEXT NOT NULL,
            basis TEXT NOT NULL,
            pack TEXT,
            org_cap_fen BIGINT,
            notice_days BIGINT NOT NULL,
            valid_days BIGINT,
            status TEXT NOT NULL,
            note TEXT NOT NULL,
            committed_fen BIGINT NOT NULL DEFAULT 0,
            paid_fen BIGINT NOT NULL DEFAULT 0,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            created_by BIGINT,
            updated_by BIGINT)",
        ),
        Both("CREATE UNIQUE INDEX fund_programmes_code ON fund_programmes (code)"),
        Both("CREATE INDEX fund_programmes_region ON fund_programmes (region_path, year)"),
        Both(
            "CREATE TABLE fund_grants (
            id BIGINT PRIMARY KEY,
            programme_id BIGINT NOT NULL REFERENCES fund_programmes (id),
            org_id BIGINT NOT NULL REFERENCES organizations (id),
            region_path TEXT NOT NULL,
            matter_key TEXT NOT NULL,
            matter TEXT NOT NULL,
            amount_fen BIGINT NOT NULL,
            paid_fen BIGINT NOT NULL,
            status TEXT NOT NULL,
            explanation TEXT NOT NULL,
            rule TEXT NOT NULL,
            notice_start TEXT,
            notice_end TEXT,
            objections TEXT NOT NULL,
            refusal_reason TEXT,
            approved_on TEXT,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            created_by BIGINT,
            updated_by BIGINT)",
        ),
        Both("CREATE INDEX fund_grants_programme ON fund_grants (programme_id, status)"),
        Both("CREATE INDEX fund_grants_org ON fund_grants (org_id)"),
        Both("CREATE INDEX fund_grants_matter ON fund_grants (matter_key)"),
        Both(
            "CREATE TABLE fund_payments (
            id BIGINT PRIMARY KEY,
            grant_id BIGINT NOT NULL REFERENCES fund_grants (id),
            programme_id BIGINT NOT NULL REFERENCES fund_programmes (id),
            org_id BIGINT NOT NULL REFERENCES organizations (id),
            region_path TEXT NOT NULL,
            year BIGINT NOT NULL,
            paid_on TEXT NOT NULL,
            amount_fen BIGINT NOT NULL,
            document_no TEXT NOT NULL,
            note TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            created_by BIGINT)",
        ),
        Both("CREATE INDEX fund_payments_org ON fund_payments (org_id, year)"),
        Both("CREATE INDEX fund_payments_programme ON fund_payments (programme_id)"),
        Pg(
            "CREATE INDEX fund_payments_region ON fund_payments (region_path text_pattern_ops, year)",
        ),
        Sqlite("CREATE INDEX fund_payments_region ON fund_payments (region_path, year)"),
        Both("CREATE INDEX fund_payments_year ON fund_payments (year, org_id)"),
        Both(
            "CREATE TABLE service_providers (
            id BIGINT PRIMARY KEY,
            org_id BIGINT NOT NULL REFERENCES organizations (id),
            region_path TEXT NOT NULL,
            services TEXT NOT NULL,
            qualifications TEXT NOT NULL,
            prices TEXT NOT NULL,
            contact TEXT NOT NULL,
            related_codes TEXT NOT NULL,
            status TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            created_by BIGINT,
            updated_by BIGINT)",
        ),
        Both("CREATE UNIQUE INDEX service_providers_org ON service_providers (org_id)"),
        Both(
            "CREATE TABLE vouchers (
            id BIGINT PRIMARY KEY,
            programme_id BIGINT NOT NULL REFERENCES fund_programmes (id),
            org_id BIGINT NOT NULL REFERENCES organizations (id),
            region_path TEXT NOT NULL,
            voucher_no TEXT,
            status TEXT NOT NULL,
            face_fen BIGINT NOT NULL,
            used_fen BIGINT NOT NULL,
            applied_on TEXT NOT NULL,
            issued_on TEXT,
            expires_on TEXT,
            eligibility TEXT NOT NULL,
            refusal_reason TEXT,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            created_by BIGINT,
            updated_by BIGINT)",
        ),
        Both("CREATE UNIQUE INDEX vouchers_no ON vouchers (voucher_no)"),
        Both("CREATE INDEX vouchers_programme ON vouchers (programme_id, org_id)"),
        Both(
            "CREATE TABLE voucher_orders (
            id BIGINT PRIMARY KEY,
            voucher_id BIGINT NOT NULL REFERENCES vouchers (id),
            programme_id BIGINT NOT NULL REFERENCES fund_programmes (id),
            org_id BIGINT NOT NULL REFERENCES organizations (id),
            region_path TEXT NOT NULL,
            provider_id BIGINT NOT NULL REFERENCES service_providers (id),
            provider_org_id BIGINT NOT NULL REFERENCES organizations (id),
            provider_region_path TEXT NOT NULL,
            service TEXT NOT NULL,
            contract_name TEXT NOT NULL,
            contract_no TEXT NOT NULL,
            fee_fen BIGINT NOT NULL,
            signed_on TEXT NOT NULL,
            status TEXT NOT NULL,
            completed_on TEXT,
            evidence TEXT,
            offset_fen BIGINT,
            grant_id BIGINT,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            created_by BIGINT,
            updated_by BIGINT)",
        ),
        Both("CREATE INDEX voucher_orders_voucher ON voucher_orders (voucher_id)"),
        Both("CREATE INDEX voucher_orders_provider ON voucher_orders (provider_org_id)"),
        Both(
            "CREATE TABLE instruments (
            id BIGINT PRIMARY KEY,
            name TEXT NOT NULL,
            model TEXT NOT NULL,
            category TEXT NOT NULL,
            original_value_fen BIGINT NOT NULL,
            org_id BIGINT NOT NULL REFERENCES organizations (id),
            region_path TEXT NOT NULL,
            location TEXT NOT NULL,
            status TEXT NOT NULL,
            fee_per_hour_fen BIGINT NOT NULL,
            rated_hours BIGINT NOT NULL,
            manager TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            created_by BIGINT,
            updated_by BIGINT)",
        ),
        Both("CREATE INDEX instruments_org ON instruments (org_id)"),
        Both(
            "CREATE TABLE instrument_bookings (
            id BIGINT PRIMARY KEY,
            instrument_id BIGINT NOT NULL REFERENCES instruments (id),
            org_id BIGINT NOT NULL REFERENCES organizations (id),
            region_path TEXT NOT NULL,
            host_org_id BIGINT NOT NULL REFERENCES organizations (id),
            host_region_path TEXT NOT NULL,
            starts_at TEXT NOT NULL,
            ends_at TEXT NOT NULL,
            purpose TEXT NOT NULL,
            status TEXT NOT NULL,
            used_minutes BIGINT,
            fee_fen BIGINT,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            created_by BIGINT,
            updated_by BIGINT)",
        ),
        Both(
            "CREATE INDEX instrument_bookings_slot ON instrument_bookings (instrument_id, starts_at)",
        ),
        Both(
            "CREATE TABLE loans (
            id BIGINT PRIMARY KEY,
            programme_id BIGINT NOT NULL REFERENCES fund_programmes (id),
            org_id BIGINT NOT NULL REFERENCES organizations (id),
            region_path TEXT NOT NULL,
            bank_org_id BIGINT NOT NULL REFERENCES organizations (id),
            contract_no TEXT NOT NULL,
            amount_fen BIGINT NOT NULL,
            rate TEXT NOT NULL,
            start_on TEXT NOT NULL,
            end_on TEXT NOT NULL,
            credit BOOLEAN NOT NULL,
            first_loan BOOLEAN NOT NULL,
            tech_firm BOOLEAN NOT NULL,
            eligibility TEXT NOT NULL,
            status TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            created_by BIGINT,
            updated_by BIGINT)",
        ),
        Both("CREATE UNIQUE INDEX loans_contract ON loans (bank_org_id, contract_no)"),
        Both(
            "CREATE TABLE pool_entries (
            id BIGINT PRIMARY KEY,
            programme_id BIGINT NOT NULL REFERENCES fund_programmes (id),
            region_path TEXT NOT NULL,
            kind TEXT NOT NULL,
            amount_fen BIGINT NOT NULL,
            entry_on TEXT NOT NULL,
            loan_id BIGINT,
            bank_org_id BIGINT,
            explanation TEXT NOT NULL,
            document_no TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            created_by BIGINT)",
        ),
        Both("CREATE INDEX pool_entries_programme ON pool_entries (programme_id, entry_on)"),
        Both(
            "INSERT INTO role_permissions (role_id, permission) SELECT r.id, 'funds:read' FROM roles r WHERE r.role_key IN ('officer', 'leader') AND NOT EXISTS (SELECT 1 FROM role_permissions rp WHERE rp.role_id = r.id AND rp.permission = 'funds:read')",
        ),
        Both(
            "INSERT INTO role_permissions (role_id, permission) SELECT r.id, 'funds:manage' FROM roles r WHERE r.role_key = 'officer' AND NOT EXISTS (SELECT 1 FROM role_permissions rp WHERE rp.role_id = r.id AND rp.permission = 'funds:manage')",
        ),
        Both(
            "INSERT INTO role_permissions (role_id, permission) SELECT r.id, 'funds:apply' FROM roles r WHERE r.role_key = 'enterprise' AND NOT EXISTS (SELECT 1 FROM role_permissions rp WHERE rp.role_id = r.id AND rp.permission = 'funds:apply')",
        ),
    ],
];

/// The newest schema version this build knows.
pub const LATEST: i64 = MIGRATIONS.len() as i64;

pub async fn migrate(db: &DatabaseConnection, backend: Backend) -> StoreResult<i64> {
    db.execute_unprepared("CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL)")
        .await?;
    let b = db.get_database_backend();
    let row = db
        .query_one_raw(Statement::from_string(
            b,
            "SELECT MAX(version) AS v FROM schema_version",
        ))
        .await?;
    let current: i64 = match row {
        Some(r) => r.try_get::<Option<i64>>("", "v")?.unwrap_or(0),
        None => 0,
    };
    if current > LATEST {
        return Err(StoreError::Config(format!(
            "数据库结构版本 {current} 高于本程序支持的 {LATEST}，请升级程序（不支持降级）"
        )));
    }
    for (i, steps) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        let version = i as i64 + 1;
        let tx = db.begin().await?;
        for step in steps.iter() {
            let sql = match (step, backend) {
                (Both(s), _) | (Pg(s), Backend::Postgres) | (Sqlite(s), Backend::Sqlite) => *s,
                _ => continue,
            };
            tx.execute_unprepared(sql).await?;
        }
        tx.execute_raw(Statement::from_sql_and_values(
            b,
            if backend == Backend::Postgres {
                "INSERT INTO schema_version (version) VALUES ($1)"
            } else {
                "INSERT INTO schema_version (version) VALUES (?)"
            },
            [version.into()],
        ))
        .await?;
        tx.commit().await?;
        tracing::info!(version, "migration applied");
    }
    Ok(LATEST)
}
