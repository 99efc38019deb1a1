import { postJson } from '@/lib/http';

export interface SignedInUser {
  id: string;
  email: string;
  name: string;
  role: 'USER' | 'ADMIN';
}

export async function login(email: string, password: string): Promise<SignedInUser> {
  const answer = await postJson<{ user: SignedInUser }>('/api/auth/login', { email, password });
  if (!answer) throw new Error('the server answered the sign-in without a user');
  return answer.user;
}

export async function logout(): Promise<void> {
  await postJson('/api/auth/logout', {});
}
