// Prompt templates for the report narrative: versions, rollback, rendering, preview (used by the admin UI).
export { DEFAULT_TEMPLATES, NARRATIVE_TEMPLATE } from './defaults';
export { type PromptPreview, previewPrompt } from './preview';
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
