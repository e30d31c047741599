/** The default boards every campus starts with. */
export const DEFAULT_BOARDS: Array<{
  name: string;
  description: string;
  anonymousOnly?: boolean;
  hotEligible?: boolean;
  /** Accounts younger than NEW_ACCOUNT_DAYS may not write here (set by migration 0008). */
  restricted?: boolean;
}> = [
  { name: '자유게시판', description: '자유롭게 이야기하는 곳' },
  { name: '비밀게시판', description: '익명으로만 글을 쓰는 곳', anonymousOnly: true },
  { name: '새내기게시판', description: '새내기를 위한 질문과 정보' },
  { name: '졸업생게시판', description: '졸업생과 재학생의 이야기' },
  { name: '정보게시판', description: '학교 생활 정보 공유' },
  { name: '홍보게시판', description: '행사와 모임 홍보', hotEligible: false, restricted: true },
  { name: '장터게시판', description: '중고 거래와 나눔', hotEligible: false },
  { name: '동아리·학회', description: '동아리와 학회 소식' },
  { name: '취업·진로', description: '취업, 인턴, 진로 이야기' },
  { name: '시사·이슈', description: '시사와 사회 이슈 토론' },
];
