// Prompt templates for the report narrative: versions, rollback, rendering (the preview with computed numbers
// is the reports domain's: reports/preview-prompt.ts).
export { DEFAULT_TEMPLATES, NARRATIVE_TEMPLATE } from './defaults';
export { type Fact, formatFact } from './fact';
export { type PromptValues, renderPrompt } from './render';
export {
  createTemplateVersion,
  ensureDefaultTemplates,
  getActiveTemplate,
  getTemplate,
  listTemplateVersions,
  PLACEHOLDERS,
  type PromptTemplate,
  rollbackTemplate,
  type TemplateLanguage,
} from './templates';
