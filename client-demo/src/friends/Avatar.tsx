import type { JSX } from 'preact';
import type { UserSummaryDto } from '../../../shared/dto';
import { colorFor } from '../timetable/colors';

/** A round initial in a color of its own per user. */
export function Avatar(props: { user: UserSummaryDto; size?: number }): JSX.Element {
  const size = props.size ?? 38;
  return (
    <span
      class="avatar"
      aria-hidden="true"
      style={{
        width: `${size}px`,
        height: `${size}px`,
        background: colorFor({ courseId: props.user.id, title: '' }),
      }}
    >
      {[...props.user.nickname][0] ?? '?'}
    </span>
  );
}

/** Avatar, nickname and @username in a row, with whatever `children` add on the right. */
export function Person(props: {
  user: UserSummaryDto;
  note?: string;
  children?: JSX.Element | JSX.Element[] | null;
}): JSX.Element {
  return (
    <div class="person">
      <Avatar user={props.user} />
      <div class="person__text">
        <strong class="person__name">{props.user.nickname}</strong>
        <span class="person__sub">
          @{props.user.username}
          {props.note ? ` · ${props.note}` : ''}
        </span>
      </div>
      {props.children ? <div class="person__actions">{props.children}</div> : null}
    </div>
  );
}
