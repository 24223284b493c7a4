import { DEFAULT_ASSUMPTIONS, LAUNCH_HOOK_MARGIN, launchHookTimeoutSeconds, resolveAssumptions } from "../../model/assumptions";

describe("launchHookTimeoutSeconds", () => {
  test("outwaits the model's longest cold first boot (launch + packages installed) by the margin, in whole minutes", () => {
    const coldBoot = DEFAULT_ASSUMPTIONS.instanceLaunch.seconds.max + DEFAULT_ASSUMPTIONS.appStartFromBaseImage.seconds.max;

    expect(launchHookTimeoutSeconds()).toBe(840);
    expect(launchHookTimeoutSeconds()).toBeGreaterThanOrEqual(coldBoot * LAUNCH_HOOK_MARGIN);
    expect(launchHookTimeoutSeconds() % 60).toBe(0);
  });

  test("follows the boot estimates when they are replaced, e.g. by times measured in a game day", () => {
    const measured = resolveAssumptions({ instanceLaunch: { min: 40, max: 120 }, appStartFromBaseImage: { min: 200, max: 900 } });

    // (120 + 900) x 1.5 = 1530 s, rounded up to 1560 s
    expect(launchHookTimeoutSeconds(measured)).toBe(1560);
  });
});
