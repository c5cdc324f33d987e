// A Double-11 run's main-thread .cpuprofile (node --cpu-prof) attributed from the start of simulate() to the send-log export:
// SQLite native frames (statement run/all, BEGIN/COMMIT) apart, the rest by the first matching caller up the stack.
// node bench/double11/tools/cpuprofile-attribution.mjs CPU.….cpuprofile
import { readFileSync } from 'node:fs';
const p = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const byId = new Map(p.nodes.map(n => [n.id, n]));
const parent = new Map();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
function stack(id){ const s=[]; while(id!==undefined){ s.push(byId.get(id)); id=parent.get(id);} return s; }
const isNative=(f)=> (f.url.endsWith('persistence/sql-batch.js') && (f.lineNumber===202||f.functionName==='all')) || f.url.includes('better-sqlite3/lib/methods/transaction') || (f.url.includes('segment-store')&&f.functionName==='runSql') || f.url.includes('better-sqlite3/lib/methods/wrappers');
// ordered: first ancestor (from leaf up) matching
const buckets=[
 ['build write rows (commitStep, enroll ops)', f=>/journey-store\.js$/.test(f.url)&&['commitStep','enroll','enrollOps','effectOps'].includes(f.functionName)],
 ['policy review (policy-store/review)', f=>/policy-store\.js$|policy\/review\.js$/.test(f.url)],
 ['decode reads: facts', f=>/journey-store\.js$/.test(f.url)&&f.functionName==='facts'],
 ['decode reads: customers', f=>/journey-store\.js$/.test(f.url)&&f.functionName==='customers'],
 ['decode reads: due/packed enrollments', f=>/journey-store\.js$/.test(f.url)&&['dueEnrollments','due','duePlan','reloadDue','packedEnrollments'].includes(f.functionName)],
 ['decode reads: events', f=>/journey-store\.js$/.test(f.url)&&f.functionName==='events'],
 ['switch thread crossing (ahead/post/results)', f=>/switch-precompute\.js$/.test(f.url)],
 ['send executor (templates, coupons, links)', f=>/send\.executor\.js$/.test(f.url)],
 ['wait executor', f=>/wait\.executor\.js$/.test(f.url)],
 ['other executors', f=>/executors\//.test(f.url)],
 ['stepper loop own', f=>/stepper\.js$/.test(f.url)],
 ['engine tick/entries (journey-engine)', f=>/journey-engine\.js$/.test(f.url)],
];
let started=false, ended=false; const res=new Map(); const stc=new Map(); let nat=0, gc=0, idle=0, tot=0;
for (let i=0;i<p.samples.length;i++){
  const id=p.samples[i]; const d=(p.timeDeltas[i+1]??0)/1000;
  let st=stc.get(id); if(!st){st=stack(id);stc.set(id,st);}
  if(!started && st.some(n=>n.callFrame.functionName==='simulate')) started=true;
  if(started && !ended && st.some(n=>n.callFrame.url.includes('send-log'))) ended=true;
  if(!started||ended) continue;
  tot+=d; const f=st[0].callFrame;
  if (['(garbage collector)','(program)'].includes(f.functionName)) {gc+=d; continue;}
  if (f.functionName==='(idle)') {idle+=d; continue;}
  if (isNative(f)) { nat+=d; continue; }
  let b='other JS';
  outer: for (const n of st) for (const [name,m] of buckets) if (m(n.callFrame)) { b=name; break outer; }
  res.set(b,(res.get(b)??0)+d);
}
console.log('window',tot.toFixed(0),'SQLite native',nat.toFixed(0),'GC+program',gc.toFixed(0),'idle',idle.toFixed(0));
for (const [k,v] of [...res].sort((a,b)=>b[1]-a[1])) console.log(v.toFixed(0).padStart(7), (100*v/tot).toFixed(1).padStart(5)+'%', k);
