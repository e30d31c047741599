import type { JSX, TargetedEvent } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { TagCountDto } from '../../../shared/dto';
import { fieldText, t } from '../i18n';
import { useQuad } from '../lib/session';
import { Icon } from '../ui/icons';
import { foldTag } from './store';

/** Limits of shared/schemas/boards.ts (`tags`, `tagName`). */
export const MAX_TAGS = 30;
export const MAX_TAG_LENGTH = 30;

/**
 * Tags as chips: type and press Enter or a comma to add, × to remove; the board's popular
 * tags are offered as chips to click. Duplicates (as the server compares them) are ignored.
 */
export function TagInput(props: {
  boardId: number;
  value: string[];
  onChange: (tags: string[]) => void;
  error?: string;
}): JSX.Element {
  const [draft, setDraft] = useState('');
  const [popular, setPopular] = useState<TagCountDto[]>([]);
  const [note, setNote] = useState<string | null>(null);

  useEffect(() => {
    void useQuad()
      .boards.ask('tags:popular', { boardId: props.boardId, limit: 12 })
      .then((res) => res.ok && setPopular(res.data))
      .catch(() => undefined);
  }, [props.boardId]);

  const has = (tag: string) => props.value.some((v) => foldTag(v) === foldTag(tag));
  const add = (raw: string) => {
    const tag = raw.trim().replace(/^#/, '').trim();
    setDraft('');
    if (!tag) return;
    if ([...tag].length > MAX_TAG_LENGTH) return setNote(t('tags.tooLong', { n: MAX_TAG_LENGTH }));
    if (props.value.length >= MAX_TAGS) return setNote(t('tags.tooMany', { n: MAX_TAGS }));
    setNote(null);
    if (!has(tag)) props.onChange([...props.value, tag]);
  };
  const remove = (tag: string) => props.onChange(props.value.filter((v) => v !== tag));

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.isComposing) return; // a Korean syllable still being typed
    if (e.key === 'Enter' || e.key === ',') {
      e.preventDefault();
      add(draft);
    } else if (e.key === 'Backspace' && !draft && props.value.length) {
      remove(props.value[props.value.length - 1]!);
    }
  };
  const onInput = (e: TargetedEvent<HTMLInputElement>) => {
    const v = e.currentTarget.value;
    // A comma typed or pasted in the middle adds what comes before it.
    if (v.includes(',')) {
      const parts = v.split(',');
      for (const p of parts.slice(0, -1)) add(p);
      setDraft(parts[parts.length - 1] ?? '');
    } else setDraft(v);
  };

  const suggestions = popular.filter((p) => !has(p.name)).slice(0, 10);
  const message = props.error ? fieldText(props.error) : note;
  return (
    <div class={`field tag-field${message ? ' field--error' : ''}`} data-field="tags">
      <span class="field__label">
        {t('tags.label')}{' '}
        <span class="muted">{t('tags.count', { n: props.value.length, max: MAX_TAGS })}</span>
      </span>
      <div
        class="tag-input"
        onClick={(e) => (e.currentTarget.querySelector('input') as HTMLInputElement).focus()}
      >
        {props.value.map((tag) => (
          <span class="tag-chip tag-chip--editable" data-tag={tag}>
            #{tag}
            <button
              type="button"
              class="tag-chip__remove"
              data-action="remove-tag"
              aria-label={t('tags.remove', { tag })}
              onClick={() => remove(tag)}
            >
              <Icon name="x" size={12} />
            </button>
          </span>
        ))}
        <input
          name="tags"
          value={draft}
          placeholder={props.value.length ? '' : t('tags.placeholder')}
          maxLength={MAX_TAG_LENGTH + 2}
          onInput={onInput}
          onKeyDown={onKeyDown}
          onBlur={() => draft.trim() && add(draft)}
        />
      </div>
      {message ? (
        <span class="field__error" role="alert" data-error-for="tags">
          {message}
        </span>
      ) : (
        <span class="field__hint">{t('tags.hint')}</span>
      )}
      {suggestions.length ? (
        <div class="tag-suggest" data-suggestions>
          <span class="muted">{t('tags.popular')}</span>
          {suggestions.map((s) => (
            <button
              type="button"
              class="tag-chip tag-chip--suggest"
              data-suggest={s.name}
              onClick={() => add(s.name)}
            >
              <Icon name="plus" size={12} />
              {s.name}
            </button>
          ))}
        </div>
      ) : null}
    </div>
  );
}
