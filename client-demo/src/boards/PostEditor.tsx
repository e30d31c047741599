import type { JSX, TargetedEvent } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { PostDto } from '../../../shared/dto';
import type { ErrorWire } from '../../../shared/errors';
import { errorText, t } from '../i18n';
import { canWrite } from '../lib/account';
import { go } from '../lib/router';
import { useQuad } from '../lib/session';
import { Icon } from '../ui/icons';
import { Banner, Field, Spinner, useAction } from '../ui/kit';
import { AnonymousToggle } from './AnonymousToggle';
import { boardById, boardList, loadBoards } from './store';
import { TagInput } from './TagInput';
import './editor.css';

/** Limits of shared/schemas/boards.ts (`postTitle`, `postContent`). */
const TITLE_MAX = 200;
const CONTENT_MAX = 20_000;

/** `#/boards/:id/write` (new post) and `#/posts/:id/edit` (my post). */
export function PostEditor(props: { boardId?: number; postId?: number }): JSX.Element {
  const [editing, setEditing] = useState<PostDto | null>(null);
  const [loadError, setLoadError] = useState<ErrorWire | null>(null);
  useEffect(() => {
    if (!boardList.value) void loadBoards();
    if (!props.postId) return;
    void useQuad()
      .boards.ask('post:get', { postId: props.postId })
      .then((res) => (res.ok ? setEditing(res.data) : setLoadError(res.error)))
      .catch(() => setLoadError({ code: 'UNAVAILABLE', message: '' }));
  }, [props.postId]);

  if (loadError) return <Banner>{errorText(loadError)}</Banner>;
  if (props.postId && !editing) return <Spinner />;
  const boardId = editing?.boardId ?? props.boardId ?? 0;
  return <EditorForm key={editing?.id ?? 'new'} boardId={boardId} post={editing} />;
}

function EditorForm(props: { boardId: number; post: PostDto | null }): JSX.Element {
  const board = boardById(props.boardId);
  const anonymousOnly = board?.anonymousOnly ?? false;
  const [title, setTitle] = useState(props.post?.title ?? '');
  const [content, setContent] = useState(props.post?.content ?? '');
  const [tags, setTags] = useState<string[]>(props.post?.tags ?? []);
  const [anonymous, setAnonymous] = useState(true);
  const action = useAction<PostDto>();
  const fields = action.error?.fields ?? {};
  // `tags.3` (one tag) and `tags` (the list) both belong under the tag input.
  const tagError = Object.entries(fields).find(([k]) => k === 'tags' || k.startsWith('tags.'))?.[1];
  const general = action.error && !Object.keys(fields).length ? errorText(action.error) : null;

  const submit = async (e: Event) => {
    e.preventDefault();
    const boards = useQuad().boards;
    await action.run(
      () =>
        props.post
          ? boards.ask('post:update', { postId: props.post.id, title, content, tags })
          : boards.ask('post:create', {
              boardId: props.boardId,
              title,
              content,
              tags,
              anonymous: anonymousOnly || anonymous,
            }),
      (post) => go(`/posts/${post.id}`),
    );
  };
  const text = (set: (v: string) => void) => (e: TargetedEvent<HTMLInputElement | HTMLTextAreaElement>) =>
    set(e.currentTarget.value);
  const back = props.post ? `#/posts/${props.post.id}` : `#/boards/${props.boardId}`;

  return (
    <form class="card post-editor" onSubmit={submit} noValidate data-screen="write">
      <header class="post-editor__head">
        <a class="board-feed__back" href={back} aria-label={t('common.cancel')}>
          <Icon name="back" size={18} />
        </a>
        <div>
          <h2>{props.post ? t('post.edit') : t('post.write')}</h2>
          <p class="muted">{board?.name ?? ''}</p>
        </div>
      </header>
      {general ? <Banner>{general}</Banner> : null}
      <Field label={t('post.title')} name="title" error={fields.title}>
        <input
          name="title"
          value={title}
          maxLength={TITLE_MAX}
          placeholder={t('post.titlePlaceholder')}
          onInput={text(setTitle)}
          autoFocus
        />
      </Field>
      <Field label={t('post.content')} name="content" error={fields.content}>
        <textarea
          name="content"
          rows={12}
          value={content}
          maxLength={CONTENT_MAX}
          placeholder={t('post.contentPlaceholder')}
          onInput={text(setContent)}
        />
      </Field>
      <TagInput boardId={props.boardId} value={tags} onChange={setTags} error={tagError} />
      <footer class="post-editor__foot">
        {props.post ? (
          <span class="muted">{props.post.anonymous ? t('post.postedAnonymously') : ''}</span>
        ) : (
          <AnonymousToggle forced={anonymousOnly} value={anonymous} onChange={setAnonymous} explain />
        )}
        <span class="spacer" />
        <span class="muted post-editor__count">
          {t('post.chars', { n: [...content].length.toLocaleString() })}
        </span>
        <button
          class="btn btn--primary"
          type="submit"
          disabled={action.busy || !canWrite.value}
          title={canWrite.value ? undefined : t('suspended.short')}
          data-action="submit"
        >
          <Icon name="check" size={16} />
          {props.post ? t('common.save') : t('post.submit')}
        </button>
      </footer>
    </form>
  );
}
