import type { Extension } from '@codemirror/state';
import { StreamLanguage } from '@codemirror/language';

/** The lab manifest's file languages (lib/labs/manifest.ts `submissionFile.language`). */
export type EditorLanguage = 'hcl' | 'yaml' | 'dockerfile' | 'javascript' | 'typescript' | 'json' | 'text' | 'python' | 'shell';

/**
 * The CodeMirror language for a manifest `language`, loaded on demand so a lab with only YAML files never downloads
 * the JavaScript or HCL parsers.
 */
export async function languageExtension(lang: EditorLanguage): Promise<Extension> {
  switch (lang) {
    case 'yaml':
      return (await import('@codemirror/lang-yaml')).yaml();
    case 'javascript':
      return (await import('@codemirror/lang-javascript')).javascript();
    case 'typescript':
      return (await import('@codemirror/lang-javascript')).javascript({ typescript: true });
    case 'hcl':
      return (await import('codemirror-lang-hcl')).hcl();
    case 'dockerfile':
      return StreamLanguage.define((await import('@codemirror/legacy-modes/mode/dockerfile')).dockerFile);
    case 'shell':
      return StreamLanguage.define((await import('@codemirror/legacy-modes/mode/shell')).shell);
    case 'json':
      return StreamLanguage.define((await import('@codemirror/legacy-modes/mode/javascript')).json);
    case 'python':
      return StreamLanguage.define((await import('@codemirror/legacy-modes/mode/python')).python);
    default:
      return [];
  }
}
