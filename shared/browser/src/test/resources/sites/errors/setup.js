// throws before the timeline is registered: the error must name this file and line
const settings = undefined;
const tl = gsap.timeline({ paused: true, duration: settings.duration });
window.__timelines.intro = tl;
