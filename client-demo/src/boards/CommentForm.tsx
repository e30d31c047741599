import type { JSX, TargetedEvent } from 'preact';
import { useState } from 'preact/hooks';
import type { CommentDto, PostDto } from '../../../shared/dto';
import { errorText, t } from '../i18n';
import { useQuad } from '../lib/session';
import { Icon } from '../ui/icons';
import { Field, useAction } from '../ui/kit';
import { AnonymousToggle } from './AnonymousToggle';
import { boardById } from './store';
import { placeComment, type ThreadState } from './thread';

/** Limit of shared/schemas/comments.ts (`commentCreateInput.content`). */
const COMMENT_MAX = 1000;

/** Write a comment (or, with `parentId`, a reply); anonymous by default, as students expect. */
export function CommentForm(props: {
  post: PostDto;
  parentId?: number;
  thread: { setState: (u: (s: ThreadState) => ThreadState) => void };
  onDone?: () => void;
}): JSX.Element {
  const [content, setContent] = useState('');
  const anonymousOnly = boardById(props.post.boardId)?.anonymousOnly ?? false;
  const [anonymous, setAnonymous] = useState(true);
  const action = useAction<CommentDto>();
  const fields = action.error?.fields ?? {};
  const general = action.error && !fields.content ? errorText(action.error) : undefined;

  const submit = async (e: Event) => {
    e.preventDefault();
    await action.run(
      () =>
        useQuad().comments.ask('comment:create', {
          postId: props.post.id,
          content,
          anonymous: anonymousOnly || anonymous,
          ...(props.parentId && { parentId: props.parentId }),
        }),
      (c) => {
        props.thread.setState((s) => placeComment(s, c));
        setContent('');
        props.onDone?.();
      },
    );
  };
  const kind = props.parentId ? 'reply' : 'comment';
  return (
    <form class={`comment-form comment-form--${kind}`} onSubmit={submit} noValidate data-form={kind}>
      <Field label={t(`comment.${kind}Label`)} name="content" error={fields.content ?? general}>
        <textarea
          name="content"
          rows={props.parentId ? 2 : 3}
          value={content}
          maxLength={COMMENT_MAX}
          placeholder={t(props.parentId ? 'comment.replyPlaceholder' : 'comment.placeholder')}
          onInput={(e: TargetedEvent<HTMLTextAreaElement>) => setContent(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void submit(e);
          }}
        />
      </Field>
      <div class="comment-form__bar">
        <AnonymousToggle forced={anonymousOnly} value={anonymous} onChange={setAnonymous} />
        <span class="spacer" />
        <button
          class="btn btn--primary btn--small"
          type="submit"
          disabled={action.busy}
          data-action="submit-comment"
        >
          <Icon name="send" size={14} />
          {t(props.parentId ? 'comment.submitReply' : 'comment.submit')}
        </button>
      </div>
    </form>
  );
}
