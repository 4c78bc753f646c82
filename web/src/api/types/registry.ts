// ----- 基础库 (regions, organizations, enterprise years, platforms, persons, stats) -----

export interface Region {
  code: string
  name: string
  parent: string | null
  level: string
  full_name: string
}

export interface Organization {
  id: number
  credit_code: string
  name: string
  kind: string
  kind_label: string
  region_code: string
  region_name: string
  industry: string | null
  founded_on: string | null
  legal_representative: string | null
  size_class: string | null
  created_at: number
  updated_at: number
}

export type Figures = Record<string, string | number | boolean | null | undefined>

export interface EnterpriseYear {
  id: number
  org_id: number
  org_name: string
  credit_code: string
  year: number
  figures: Figures
  updated_at: number
}

export interface Platform {
  id: number
  name: string
  platform_type: string
  platform_type_label: string
  level: string
  level_label: string
  host_org_id: number
  host_org_name: string
  region_code: string
  recognized_on: string | null
  approval_document: string | null
  status: string
  status_label: string
  updated_at: number
}

export interface Person {
  id: number
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
  has_id_number: boolean
  user_id: number | null
  updated_at: number
}

export interface Count {
  key: string
  count: number
}

export interface Overview {
  organizations_by_kind: Count[]
  platforms_by_level: Count[]
  experts: number
  hnte_by_year: Count[]
  organizations_by_region: Count[]
}
