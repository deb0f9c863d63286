import { expect } from '@open-wc/testing';
import { ClockProbe } from '../../src/client/clock-probe.js';
import { normaliseStartCode } from '../../src/client/cobrowse-advisor.js';
import { groupWebcode } from '../../src/i18n/advisor.js';

describe('ClockProbe', () => {
  it("estimates the visitor's clock offset from the sample with the shortest round trip", () => {
    const probe = new ClockProbe();
    // Visitor 3000 ms ahead; 40 ms there, 10 ms back: the estimate is off by half the asymmetry.
    expect(probe.add(1_000, 1_000 + 40 + 3_000, 1_050)).to.equal(true);
    expect(probe.best).to.deep.equal({ offset: 3_015, rtt: 50 });
    // A quicker, symmetric probe wins …
    expect(probe.add(2_000, 2_005 + 3_000, 2_010)).to.equal(true);
    expect(probe.best).to.deep.equal({ offset: 3_000, rtt: 10 });
    // … and a slower one does not replace it.
    expect(probe.add(3_000, 3_100 + 3_000, 3_200)).to.equal(false);
    expect(probe.best?.offset).to.equal(3_000);
    expect(probe.samples).to.equal(3);
  });

  it('ignores pongs for pings never sent (from the future)', () => {
    const probe = new ClockProbe();
    expect(probe.add(5_000, 1, 4_000)).to.equal(false);
    expect(probe.best).to.equal(undefined);
  });
});

describe('co-browse codes as typed and read out', () => {
  it('normalises start codes and groups webcodes', () => {
    expect(normaliseStartCode(' acde-fh jk ')).to.equal('ACDEFHJK');
    expect(groupWebcode('123456')).to.equal('123 456');
  });
});
