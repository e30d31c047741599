import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { TimetableDto, TimetableSummaryDto } from '../../../shared/dto';
import type { Ack } from '../../../shared/events';
import { errorText, t } from '../i18n';
import { go } from '../lib/router';
import { useQuad } from '../lib/session';
import { Icon } from '../ui/icons';
import { useAction } from '../ui/kit';
import { Confirm } from './fields';
import { settle, type Timetables } from './useTimetables';

type Visibility = TimetableSummaryDto['visibility'];
const VISIBILITIES: Visibility[] = ['everyone', 'friends', 'private'];

/** My timetables of the semester as tabs (★ marks the primary), and a new one by name. */
export function TimetableTabs(props: { tables: Timetables; semester: string }): JSX.Element {
  const { list, current } = props.tables;
  return (
    <div class="tt-tabs" role="tablist" data-timetable-tabs>
      {(list ?? []).map((x) => (
        <a
          href={`#/timetable/${x.id}`}
          role="tab"
          aria-selected={current?.id === x.id}
          class={`tt-tab${current?.id === x.id ? ' tt-tab--on' : ''}`}
          data-timetable-id={x.id}
          data-primary={x.isPrimary ? '' : undefined}
        >
          {x.isPrimary ? (
            <span class="tt-star" title={t('tt.primary')}>
              ★
            </span>
          ) : null}
          {x.name}
        </a>
      ))}
      <NewTimetable tables={props.tables} semester={props.semester} />
    </div>
  );
}

function NewTimetable(props: { tables: Timetables; semester: string }): JSX.Element {
  const quad = useQuad();
  const [open, setOpen] = useState(false);
  if (!open) {
    return (
      <button
        type="button"
        class="tt-tab tt-tab--new"
        data-action="new-timetable"
        onClick={() => setOpen(true)}
      >
        <Icon name="plus" size={16} />
        {t('tt.new')}
      </button>
    );
  }
  return (
    <NameForm
      form="new-timetable"
      initial=""
      submitLabel={t('tt.create')}
      close={() => setOpen(false)}
      save={(name) => settle(quad.timetables.ask('timetable:create', { semester: props.semester, name }))}
      saved={(created) => {
        props.tables.show(created);
        go(`/timetable/${created.id}`);
      }}
    />
  );
}

/** A timetable name in a small inline form (new timetable, rename). */
function NameForm<T>(props: {
  form: string;
  initial: string;
  submitLabel: string;
  save: (name: string) => Promise<Ack<T>>;
  saved: (data: T) => void;
  close: () => void;
}): JSX.Element {
  const [name, setName] = useState(props.initial);
  const action = useAction<T>();
  const submit = (e: Event) => {
    e.preventDefault();
    void action.run(
      () => props.save(name.trim()),
      (data) => {
        props.saved(data);
        props.close();
      },
    );
  };
  return (
    <form class="tt-inline" onSubmit={submit} data-form={props.form}>
      <input
        class="input tt-inline__input"
        name="name"
        maxLength={50}
        placeholder={t('tt.namePlaceholder')}
        value={name}
        onInput={(e) => setName(e.currentTarget.value)}
        autoFocus
      />
      <button class="btn btn--primary btn--small" disabled={action.busy || !name.trim()}>
        {props.submitLabel}
      </button>
      <button type="button" class="btn btn--ghost btn--small" onClick={props.close}>
        {t('common.cancel')}
      </button>
      {action.error ? <span class="field__error">{errorText(action.error)}</span> : null}
    </form>
  );
}

/** The shown timetable: name, credits, visibility, primary, rename and delete. */
export function TimetableHeader(props: { tables: Timetables; timetable: TimetableDto }): JSX.Element {
  const quad = useQuad();
  const tt = props.timetable;
  const [mode, setMode] = useState<'view' | 'rename' | 'delete'>('view');
  const action = useAction<TimetableSummaryDto>();
  const id = { timetableId: tt.id };
  const apply = (summary: TimetableSummaryDto) => {
    props.tables.show({ ...tt, ...summary });
    setMode('view');
  };

  const setPrimary = () =>
    void action.run(
      () => settle(quad.timetables.ask('timetable:setPrimary', id)),
      (summary) => {
        apply(summary);
        void props.tables.reloadList();
      },
    );
  const setVisibility = (visibility: Visibility) =>
    void action.run(
      () => settle(quad.timetables.ask('timetable:setVisibility', { ...id, visibility })),
      apply,
    );
  const remove = async () => {
    const res = await settle(quad.timetables.ask('timetable:delete', id));
    if (!res.ok) return action.setError(res.error);
    setMode('view');
    await props.tables.reloadList();
    go('/timetable');
  };

  return (
    <div class="tt-head">
      {mode === 'rename' ? (
        <NameForm
          form="rename"
          initial={tt.name}
          submitLabel={t('common.save')}
          close={() => setMode('view')}
          save={(name) => settle(quad.timetables.ask('timetable:rename', { ...id, name }))}
          saved={apply}
        />
      ) : (
        <div class="tt-head__title">
          <h3 data-timetable-name>{tt.name}</h3>
          <span class="tt-credits" data-credits={tt.totalCredits}>
            {t('tt.credits', { n: tt.totalCredits })}
            <span class="tt-dot">·</span>
            {t('tt.entryCount', { n: tt.entries.length })}
          </span>
        </div>
      )}
      <div class="tt-head__tools">
        <select
          class="input tt-select"
          name="visibility"
          aria-label={t('tt.visibility')}
          data-action="visibility"
          value={tt.visibility}
          onChange={(e) => setVisibility(e.currentTarget.value as Visibility)}
        >
          {VISIBILITIES.map((v) => (
            <option value={v}>{t(`tt.visibility.${v}`)}</option>
          ))}
        </select>
        {tt.isPrimary ? (
          <span class="chip chip--accent" data-primary-badge>
            ★ {t('tt.primary')}
          </span>
        ) : (
          <button type="button" class="btn btn--small" data-action="set-primary" onClick={setPrimary}>
            ★ {t('tt.makePrimary')}
          </button>
        )}
        <button
          type="button"
          class="btn btn--ghost btn--small"
          data-action="rename"
          onClick={() => setMode('rename')}
        >
          {t('tt.rename')}
        </button>
        <button
          type="button"
          class="btn btn--ghost btn--small tt-danger"
          data-action="delete-timetable"
          onClick={() => setMode('delete')}
        >
          <Icon name="trash" size={15} />
          <span class="hide-phone">{t('common.delete')}</span>
        </button>
      </div>
      {mode === 'delete' ? (
        <div class="banner banner--error tt-confirm" role="alert">
          <span>{t('tt.deleteConfirm', { name: tt.name })}</span>
          <Confirm
            action="confirm-delete"
            label={t('common.delete')}
            yes={() => void remove()}
            no={() => setMode('view')}
          />
        </div>
      ) : null}
      {action.error ? <span class="field__error tt-head__error">{errorText(action.error)}</span> : null}
    </div>
  );
}
