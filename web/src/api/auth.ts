/** Signing in and out, and who the signed-in user is (the gateway; parks answers "me"). */
import { client, data, rememberCsrfToken, type Schemas } from './client';

export type User = Schemas['gateway_User'];
export type LoginResponse = Schemas['gateway_loginOutput'];
export type Me = Schemas['parks_meDTO'];
export type Assignment = Schemas['parks_AssignmentDTO'];
export type Role = Assignment['role'];

export async function login(email: string, password: string): Promise<LoginResponse> {
  const res = await data(client.POST('/api/v1/auth/login', { body: { email, password } }));
  rememberCsrfToken(res?.csrf_token);
  return res;
}

export async function logout(): Promise<void> {
  try {
    await data(client.POST('/api/v1/auth/logout'));
  } finally {
    rememberCsrfToken(undefined);
  }
}

export const getMe = () => data(client.GET('/api/v1/auth/me'));
