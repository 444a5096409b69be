/** Teams themes to Fluent's: default → light, dark → dark, contrast → high contrast. */
import {
  type Theme,
  teamsDarkTheme,
  teamsHighContrastTheme,
  teamsLightTheme,
} from '@fluentui/react-components';

export function fluentTheme(teamsTheme: string): Theme {
  if (teamsTheme === 'dark') return teamsDarkTheme;
  if (teamsTheme === 'contrast') return teamsHighContrastTheme;
  // 'glass' (new in teams-js 2.55) has no documented meaning yet: light, like any unknown value.
  return teamsLightTheme;
}
