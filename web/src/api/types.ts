// The types of every module, one file each under ./types/; import them from '@/api/types'.
export * from './types/common'
export * from './types/system'
export * from './types/registry'
export * from './types/review'
export * from './types/plans'
export * from './types/projects'
export * from './types/rules'
export * from './types/home'
