// ----- 人才 (/people: 人才认定, 认定人才, 人才资源库, 创新团队, 院士（学者）工作站, 人才需求) -----
// Field names are the Rust structs' (crates/store/src/people/talents.rs, crates/domain/src/people.rs,
// crates/server/src/api/talents.rs). `#[serde(skip)]` fields (region_path) are not sent.
// The talent demand is `TalentDemand` here: `Demand` is the technology market's (projects.ts).
import type { Grant } from './funds'
import type { RoundInput } from './review'

/** 人才认定申请 (GET /people/talent-applications, …/{id}). Phone and salary arrive masked for some readers. */
export interface TalentApplication {
  id: number
  person_id: number
  person_name: string
  title: string | null
  disciplines: string[]
  org_id: number
  org_name: string
  region_code: string
  year: number
  claimed_tier: string
  claimed_tier_label: string
  /** YYYY-MM-DD */
  birth_date: string
  education: string
  education_label: string
  honours: string[]
  honour_labels: string[]
  evidence: string
  full_time: boolean
  phone: string | null
  /** 年薪 (元, decimal text), "***" when masked */
  salary: string | null
  status: string
  status_label: string
  /** 按认定条件可认定的层次 (the pack's answer at submission) */
  matched_tier: string | null
  matched_tier_label: string | null
  explanation: string
  rule: string
  round_id: number | null
  round_status: string | null
  /** 专家评审平均分 */
  review_score: string | null
  decision_note: string | null
  decided_on: string | null
  talent_id: number | null
  updated_at: number
}

/** POST/PUT /people/talent-applications (an organization account's org_id is set by the server). */
export interface TalentApplicationInput {
  person_id: number
  org_id: number
  year: number
  claimed_tier: string
  birth_date: string
  education: string
  honours: string[]
  evidence: string
  full_time: boolean
  phone: string
  /** 年薪 (元) */
  salary: string
}

export type ApplicationAction = 'update' | 'submit' | 'review' | 'decide'

/** GET /people/talent-applications/{id} */
export interface ApplicationView {
  application: TalentApplication
  /** update, submit (a draft), review (submitted, the bureau), decide (reviewing, round closed) */
  actions: (ApplicationAction | string)[]
}

/** POST /people/talent-applications/review (the round's object kind is set by the server). */
export interface TalentReviewInput {
  application_ids: number[]
  round: RoundInput
}

/** POST /people/talent-applications/{id}/decide */
export interface DecideInput {
  /** 认定 (true) or 不予认定 (false) */
  recognize: boolean
  /** 认定意见 (required when not recognised) */
  note: string
}

/** 认定人才 (GET /people/talents). */
export interface Talent {
  id: number
  person_id: number
  person_name: string
  title: string | null
  disciplines: string[]
  application_id: number | null
  org_id: number
  org_name: string
  region_code: string
  region_name: string
  tier: string
  tier_label: string
  year: number
  recognized_on: string
  valid_until: string
  certificate_no: string
  status: string
  status_label: string
  updated_at: number
}

/** GET /people/talents/{id}: the support received (grants of the talent's matters), teams, stations. */
export interface TalentView {
  talent: Talent
  grants: Grant[]
  teams: Team[]
  stations: StationExpert[]
  /** revoke */
  actions: string[]
}

/** 人才资源库 row (GET /people/library). */
export interface LibraryRow {
  person_id: number
  name: string
  org_id: number | null
  org_name: string | null
  region_code: string
  region_name: string
  title: string | null
  title_level: string | null
  disciplines: string[]
  keywords: string[]
  is_expert: boolean
  talent_programme: string | null
  tier: string | null
  tier_label: string | null
  valid_until: string | null
  commissioner: boolean
}

/** A team member as the server keeps it. */
export interface TeamMember {
  id: number
  name: string
}

/** 创新团队 (GET /people/teams). */
export interface Team {
  id: number
  name: string
  org_id: number
  org_name: string
  leader_id: number
  leader_name: string
  members: TeamMember[]
  field: string
  year: number
  /** city | provincial … (platform levels) */
  level: string
  level_label: string
  direction: string
  status: string
  updated_at: number
}

/** POST /people/teams */
export interface TeamInput {
  name: string
  /** 依托单位 */
  host_org_id: number
  /** 团队带头人 */
  leader_id: number
  members: number[]
  field: string
  year: number
  /** 'city' (市级) | 'provincial' (省级) */
  level: string
  direction: string
}

/** 进站专家 (GET /people/station-experts). */
export interface StationExpert {
  id: number
  platform_id: number
  platform_name: string
  platform_type: string
  person_id: number
  person_name: string
  role: string
  role_label: string
  contract_from: string
  contract_to: string
  onsite_days: number
  /** The pack's check when the expert joined. */
  explanation: string
  org_id: number
  org_name: string
  updated_at: number
}

/** POST /people/stations/{platform_id}/experts */
export interface StationExpertInput {
  person_id: number
  role: string
  contract_from: string
  contract_to: string
  /** required for 中原学者 ('' otherwise) */
  birth_date: string
  onsite_days: number
}

/** 人才需求 (GET /people/demands). */
export interface TalentDemand {
  id: number
  org_id: number
  org_name: string
  region_code: string
  region_name: string
  title: string
  field: string
  keywords: string[]
  education: string | null
  education_label: string | null
  title_level: string | null
  title_level_label: string | null
  count: number
  description: string
  deadline: string
  status: string
  status_label: string
  updated_at: number
}

/** POST /people/demands (an organization account's org_id is set by the server). */
export interface TalentDemandInput {
  org_id: number
  title: string
  field: string
  keywords: string[]
  /** 最低学历 ('' = 不限) */
  education: string
  /** senior | associate_senior | intermediate | junior ('' = 不限) */
  title_level: string
  count: number
  description: string
  /** 截止日期 YYYY-MM-DD */
  deadline: string
}

/** GET /people/demands/{id}/matches: a suggestion with its points and reasons. */
export interface TalentMatch {
  person_id: number
  name: string
  org_name: string | null
  score: number
  reasons: string[]
}
